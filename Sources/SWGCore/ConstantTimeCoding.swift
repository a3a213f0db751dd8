// Base64 and hex for 32-byte keys, written without data-dependent branches or table
// look-ups so that decoding a private key does not leak it through timing.

@inline(__always)
private func base64Value(_ c: Int32) -> Int32 {
  // -1 for a character outside the alphabet; each term adds (value + 1) iff c is in range.
  var v: Int32 = -1
  v &+= (((0x40 &- c) & (c &- 0x5b)) >> 8) & (c &- 64)
  v &+= (((0x60 &- c) & (c &- 0x7b)) >> 8) & (c &- 70)
  v &+= (((0x2f &- c) & (c &- 0x3a)) >> 8) & (c &+ 5)
  v &+= (((0x2a &- c) & (c &- 0x2c)) >> 8) & 63
  v &+= (((0x2e &- c) & (c &- 0x30)) >> 8) & 64
  return v
}

@inline(__always)
private func base64Char(_ v: Int32) -> UInt8 {
  var c = v &+ 65
  c &+= ((25 &- v) >> 8) & 6
  c &-= ((51 &- v) >> 8) & 75
  c &-= ((61 &- v) >> 8) & 15
  c &+= ((62 &- v) >> 8) & 3
  return UInt8(truncatingIfNeeded: c)
}

@inline(__always)
private func hexValue(_ c: Int32) -> Int32 {
  // -1 unless c is 0-9, a-f or A-F.
  let num = c ^ 48
  let numMask = (num &- 10) >> 8
  let alpha = (c & ~32) &- 55
  let alphaMask = ((alpha &- 10) ^ (alpha &- 16)) >> 8
  return ((numMask & num) | (alphaMask & alpha)) | ~(numMask | alphaMask)
}

enum ConstantTimeCoding {
  /// Length of a 32-byte key in base64, with its one `=` of padding.
  static let base64Length = 44
  /// Length of a 32-byte key in hex.
  static let hexLength = 64

  /// Decodes exactly 44 characters of canonical base64 into 32 bytes.
  static func decodeBase64Key<C: Collection>(_ text: C, into out: UnsafeMutableRawBufferPointer)
    -> Bool where C.Element == UInt8
  {
    guard text.count == base64Length, out.count == 32 else { return false }
    // Contiguous input (String.UTF8View, Array, ArraySlice) is read in place: no allocation
    // per key, which matters when a config holds tens of thousands of peers.
    if let done = text.withContiguousStorageIfAvailable({ decodeBase64Key($0, into: out) }) {
      return done
    }
    return Array(text).withUnsafeBufferPointer { decodeBase64Key($0, into: out) }
  }

  static func decodeBase64Key(
    _ chars: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableRawBufferPointer
  ) -> Bool {
    guard chars.count == base64Length, out.count == 32 else { return false }
    var bad: Int32 = 0
    var o = 0
    var i = 0
    while i < 40 {
      let a = base64Value(Int32(chars[i]))
      let b = base64Value(Int32(chars[i + 1]))
      let c = base64Value(Int32(chars[i + 2]))
      let d = base64Value(Int32(chars[i + 3]))
      let word = (a << 18) | (b << 12) | (c << 6) | d
      bad |= (a | b | c | d) >> 31
      out[o] = UInt8(truncatingIfNeeded: word >> 16)
      out[o + 1] = UInt8(truncatingIfNeeded: word >> 8)
      out[o + 2] = UInt8(truncatingIfNeeded: word)
      o += 3
      i += 4
    }
    let a = base64Value(Int32(chars[40]))
    let b = base64Value(Int32(chars[41]))
    let c = base64Value(Int32(chars[42]))
    let word = (a << 18) | (b << 12) | (c << 6)
    bad |= (a | b | c) >> 31
    // The last character must be '=' and the two unused bits of the third must be zero.
    bad |= ((Int32(chars[43]) ^ 61) | (c & 3)) != 0 ? -1 : 0
    out[30] = UInt8(truncatingIfNeeded: word >> 16)
    out[31] = UInt8(truncatingIfNeeded: word >> 8)
    return bad == 0
  }

  /// Encodes 32 bytes as 44 characters of base64.
  static func encodeBase64Key(_ key: UnsafeRawBufferPointer) -> String {
    String(unsafeUninitializedCapacity: base64Length) { out in
      encodeBase64Key(key, into: UnsafeMutableRawBufferPointer(out))
      return base64Length
    }
  }

  /// Writes 32 bytes as 44 characters of base64 into `out` (at least 44 bytes).
  static func encodeBase64Key(
    _ key: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer
  ) {
    guard key.count == 32, out.count >= base64Length else { return }
    var o = 0
    var i = 0
    while i < 30 {
      let w = Int32(key[i]) << 16 | Int32(key[i + 1]) << 8 | Int32(key[i + 2])
      out[o] = base64Char((w >> 18) & 63)
      out[o + 1] = base64Char((w >> 12) & 63)
      out[o + 2] = base64Char((w >> 6) & 63)
      out[o + 3] = base64Char(w & 63)
      o += 4
      i += 3
    }
    let w = Int32(key[30]) << 16 | Int32(key[31]) << 8
    out[40] = base64Char((w >> 18) & 63)
    out[41] = base64Char((w >> 12) & 63)
    out[42] = base64Char((w >> 6) & 63)
    out[43] = UInt8(ascii: "=")
  }

  /// Decodes exactly 64 hex digits (either case) into 32 bytes.
  static func decodeHexKey<C: Collection>(_ text: C, into out: UnsafeMutableRawBufferPointer)
    -> Bool where C.Element == UInt8
  {
    guard text.count == hexLength, out.count == 32 else { return false }
    var bad: Int32 = 0
    var iterator = text.makeIterator()
    for o in 0..<32 {
      guard let h = iterator.next(), let l = iterator.next() else { return false }
      let hv = hexValue(Int32(h))
      let lv = hexValue(Int32(l))
      bad |= (hv | lv) >> 31
      out[o] = UInt8(truncatingIfNeeded: (hv << 4) | (lv & 15))
    }
    return bad == 0
  }

  /// Encodes 32 bytes as 64 lowercase hex digits.
  static func encodeHexKey(_ key: UnsafeRawBufferPointer) -> String {
    String(unsafeUninitializedCapacity: hexLength) { out in
      encodeHexKey(key, into: UnsafeMutableRawBufferPointer(out))
      return hexLength
    }
  }

  /// Writes 32 bytes as 64 lowercase hex digits into `out` (at least 64 bytes).
  static func encodeHexKey(_ key: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) {
    guard key.count == 32, out.count >= hexLength else { return }
    for i in 0..<32 {
      let hi = Int32(key[i] >> 4)
      let lo = Int32(key[i] & 15)
      out[2 * i] = UInt8(truncatingIfNeeded: 87 &+ hi &+ (((hi &- 10) >> 8) & ~38))
      out[2 * i + 1] = UInt8(truncatingIfNeeded: 87 &+ lo &+ (((lo &- 10) >> 8) & ~38))
    }
  }
}
