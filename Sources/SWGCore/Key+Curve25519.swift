import CSodium

extension Key {
  /// A new private key: 32 bytes from the OS CSPRNG, clamped for X25519.
  public static func generatePrivate() -> Key {
    var key = generatePreshared()
    key.clamp()
    return key
  }

  /// A new preshared key: 32 bytes from the OS CSPRNG.
  public static func generatePreshared() -> Key {
    var rng = SystemRandomNumberGenerator()  // getrandom(2) on Linux
    var key = Key.zero
    key.withUnsafeMutableBytes { out in
      for i in stride(from: 0, to: 32, by: 8) {
        out.storeBytes(of: rng.next() as UInt64, toByteOffset: i, as: UInt64.self)
      }
    }
    return key
  }

  /// Clamps a private key as X25519 requires (RFC 7748 §5).
  public mutating func clamp() {
    withUnsafeMutableBytes { k in
      k[0] &= 248
      k[31] = (k[31] & 127) | 64
    }
  }

  /// The X25519 public key of this private key. Any 32 bytes are accepted:
  /// the scalar is clamped first, as wg pubkey does.
  public var publicKey: Key {
    var secret = self
    secret.clamp()
    var pub = Key.zero
    pub.withUnsafeMutableBytes { out in
      secret.withUnsafeBytes { sk in
        guard let o = out.baseAddress, let s = sk.baseAddress else { return }
        _ = crypto_scalarmult_curve25519_base(
          o.assumingMemoryBound(to: UInt8.self), s.assumingMemoryBound(to: UInt8.self))
      }
    }
    secret.withUnsafeMutableBytes { sodium_memzero($0.baseAddress, 32) }
    return pub
  }
}
