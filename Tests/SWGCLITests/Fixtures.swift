import SWGCore
@testable import SWGCLI

/// Hand-built devices matching the states the reference observed with the real wg.
enum Fixtures {
  static func key(_ b64: String) -> Key {
    guard let k = Key(base64: b64) else { fatalError("bad fixture key \(b64)") }
    return k
  }
  static func ip(_ text: String, _ cidr: UInt8) -> AllowedIP {
    guard let a = IPAddress(text), let ip = AllowedIP(address: a, cidr: cidr) else { fatalError(text) }
    return ip
  }
  static func v4(_ text: String, _ port: UInt16) -> Endpoint {
    guard case .v4(let a)? = IPAddress(text) else { fatalError(text) }
    return .v4(a, port: port)
  }
  static func v6(_ text: String, _ port: UInt16) -> Endpoint {
    guard case .v6(let a)? = IPAddress(text) else { fatalError(text) }
    return .v6(a, port: port)
  }

  static let zvdb = key("ZVdBZHuTKmzhZZrGjUF7hdUpbBqQF+dI4VDHPpqNmjg=")
  static let xtib = key("xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=")
  static let trmv = key("TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=")
  static let priv = key("uF4+WzvW5Ue2XxP2zEZlY4r/Lu6dv4fRYdBiC8OzR0Y=")
  static let psk = key("/UwcSPg38hW/D9Y3tcS1FOV0K1wuURMbS0sesJEP5ak=")

  /// The reference's `fake0`: peers in the daemon's order ZVdB…, xTIB…, TrMv….
  static let fake0 = Device(
    name: "fake0", privateKey: priv, publicKey: zvdb, listenPort: 51820, fwmark: 0xca6c,
    peers: [
      Peer(publicKey: zvdb),
      Peer(
        publicKey: xtib, presharedKey: psk, endpoint: v4("192.0.2.7", 51820), persistentKeepalive: 25,
        lastHandshake: Timespec(seconds: 1_795_516_657, nanoseconds: 5), rxBytes: 5_368_709_120, txBytes: 1536,
        allowedIPs: [ip("10.0.0.2", 32), ip("fd00::2", 128)]),
      Peer(
        publicKey: trmv, endpoint: v6("2001:db8::1", 1234), persistentKeepalive: 3661,
        lastHandshake: Timespec(seconds: 1_795_520_342), rxBytes: 100, txBytes: 1000,
        allowedIPs: [ip("10.10.0.0", 16), ip("0.0.0.0", 0)]),
    ])
  /// When the reference printed fake0 (TrMv's handshake 43 s before).
  static let fake0Now: Int64 = 1_795_520_385
}
