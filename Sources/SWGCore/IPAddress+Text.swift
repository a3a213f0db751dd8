// Address text without String or sprintf: the form glibc's inet_ntop writes, and IPv6
// parsing through inet_pton from a stack copy. Config parsing and the UAPI writer handle
// tens of thousands of addresses per run, so neither may allocate per address.
import Glibc

extension IPv4Address {
  /// The longest dotted quad, `255.255.255.255`.
  public static let maxTextLength = 15

  /// Writes the dotted quad to `out` (room for `maxTextLength` bytes); returns its length.
  public func writeText(to out: UnsafeMutablePointer<UInt8>) -> Int {
    var n = 0
    var shift: UInt32 = 24
    while true {
      let octet = UInt8(truncatingIfNeeded: value >> shift)
      if octet >= 100 {
        out[n] = 48 &+ octet / 100
        n += 1
      }
      if octet >= 10 {
        out[n] = 48 &+ (octet / 10) % 10
        n += 1
      }
      out[n] = 48 &+ octet % 10
      n += 1
      if shift == 0 { break }
      shift -= 8
      out[n] = UInt8(ascii: ".")
      n += 1
    }
    return n
  }
}

extension IPv6Address {
  /// The longest inet_ntop text, `ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255`.
  public static let maxTextLength = 45

  /// Writes the address as glibc's inet_ntop does to `out` (room for `maxTextLength`
  /// bytes); returns its length. Lowercase groups without leading zeros; the first longest
  /// run of two or more zero groups becomes `::`; IPv4-compatible (`::a.b.c.d`) and
  /// IPv4-mapped (`::ffff:a.b.c.d`) addresses end in a dotted quad.
  public func writeText(to out: UnsafeMutablePointer<UInt8>) -> Int {
    @inline(__always) func word(_ i: Int) -> UInt16 {
      let half = i < 4 ? high : low
      return UInt16(truncatingIfNeeded: half >> UInt64(48 - 16 * (i & 3)))
    }
    var bestBase = -1
    var bestLength = 0
    var runBase = -1
    var runLength = 0
    for i in 0..<8 {
      if word(i) == 0 {
        if runBase < 0 {
          runBase = i
          runLength = 1
        } else {
          runLength += 1
        }
      } else if runBase >= 0 {
        if bestBase < 0 || runLength > bestLength {
          bestBase = runBase
          bestLength = runLength
        }
        runBase = -1
      }
    }
    if runBase >= 0 && (bestBase < 0 || runLength > bestLength) {
      bestBase = runBase
      bestLength = runLength
    }
    if bestBase >= 0 && bestLength < 2 { bestBase = -1 }
    var n = 0
    var i = 0
    while i < 8 {
      if bestBase >= 0 && i >= bestBase && i < bestBase + bestLength {
        if i == bestBase {
          out[n] = UInt8(ascii: ":")
          n += 1
        }
        i += 1
        continue
      }
      if i != 0 {
        out[n] = UInt8(ascii: ":")
        n += 1
      }
      if i == 6 && bestBase == 0 && (bestLength == 6 || (bestLength == 5 && word(5) == 0xffff)) {
        return n + IPv4Address(UInt32(truncatingIfNeeded: low)).writeText(to: out + n)
      }
      let w = word(i)
      var started = false
      var shift: UInt16 = 12
      while true {
        let nibble = UInt8(truncatingIfNeeded: (w >> shift) & 15)
        if nibble != 0 || started || shift == 0 {
          started = true
          out[n] = nibble < 10 ? nibble &+ 48 : nibble &+ 87
          n += 1
        }
        if shift == 0 { break }
        shift -= 4
      }
      i += 1
    }
    if bestBase >= 0 && bestBase + bestLength == 8 {
      out[n] = UInt8(ascii: ":")
      n += 1
    }
    return n
  }

  /// Parses text as inet_pton(AF_INET6) does, from bytes (no String). Text longer than
  /// any valid address, or holding a NUL, is refused before inet_pton sees it.
  public init?(textBuffer text: UnsafeBufferPointer<UInt8>) {
    guard text.count <= 63, let source = text.baseAddress else { return nil }
    var a = in6_addr()
    let ok = withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { c -> Bool in
      guard let base = c.baseAddress else { return false }
      for i in 0..<text.count {
        guard source[i] != 0 else { return false }
        base[i] = CChar(bitPattern: source[i])
      }
      base[text.count] = 0
      return inet_pton(AF_INET6, base, &a) == 1
    }
    guard ok else { return nil }
    self.init(in6: a)
  }
}

extension IPAddress {
  /// Calls `body` with the address as inet_ntop writes it, from stack memory.
  @inlinable
  public func withText<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
    try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { buffer in
      guard let base = buffer.baseAddress else { return try body(UnsafeBufferPointer(buffer)) }
      let n: Int
      switch self {
      case .v4(let a): n = a.writeText(to: base)
      case .v6(let a): n = a.writeText(to: base)
      }
      return try body(UnsafeBufferPointer(start: base, count: n))
    }
  }
}
