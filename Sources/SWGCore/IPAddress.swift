import Glibc

/// An IPv4 address, held as its four bytes in network order.
public struct IPv4Address: Hashable, Sendable, Comparable {
  /// The address as a number: `10.0.0.1` is `0x0a00_0001`.
  public var value: UInt32

  public init(_ value: UInt32) { self.value = value }

  /// The address from exactly 4 bytes in network order.
  public init?<C: Collection>(bytes: C) where C.Element == UInt8 {
    guard bytes.count == 4 else { return nil }
    value = bytes.reduce(0) { $0 << 8 | UInt32($1) }
  }

  /// Parses dotted-quad text strictly, as inet_pton(AF_INET) does.
  public init?(_ text: String) {
    var a = in_addr()
    guard inet_pton(AF_INET, text, &a) == 1 else { return nil }
    value = UInt32(bigEndian: a.s_addr)
  }

  public var bytes: [UInt8] {
    [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
  }

  /// `in_addr` for socket calls.
  public var inAddr: in_addr { in_addr(s_addr: value.bigEndian) }

  public static func < (a: IPv4Address, b: IPv4Address) -> Bool { a.value < b.value }
}

/// An IPv6 address, held as two 64-bit halves (most significant first).
public struct IPv6Address: Hashable, Sendable, Comparable {
  public var high: UInt64
  public var low: UInt64

  public init(high: UInt64, low: UInt64) {
    self.high = high
    self.low = low
  }

  /// The address from exactly 16 bytes in network order.
  public init?<C: Collection>(bytes: C) where C.Element == UInt8 {
    guard bytes.count == 16 else { return nil }
    var h: UInt64 = 0
    var l: UInt64 = 0
    for (i, b) in bytes.enumerated() {
      if i < 8 { h = h << 8 | UInt64(b) } else { l = l << 8 | UInt64(b) }
    }
    high = h
    low = l
  }

  /// Parses text as inet_pton(AF_INET6) does.
  public init?(_ text: String) {
    var a = in6_addr()
    guard inet_pton(AF_INET6, text, &a) == 1 else { return nil }
    self.init(in6: a)
  }

  public init(in6 a: in6_addr) {
    var h: UInt64 = 0
    var l: UInt64 = 0
    withUnsafeBytes(of: a) { raw in
      for i in 0..<8 { h = h << 8 | UInt64(raw[i]) }
      for i in 8..<16 { l = l << 8 | UInt64(raw[i]) }
    }
    high = h
    low = l
  }

  public var bytes: [UInt8] {
    (0..<16).map { i in
      UInt8(truncatingIfNeeded: (i < 8 ? high >> (56 - 8 * i) : low >> (56 - 8 * (i - 8))))
    }
  }

  /// `in6_addr` for socket calls.
  public var in6Addr: in6_addr {
    var a = in6_addr()
    let b = bytes
    withUnsafeMutableBytes(of: &a) { raw in
      for i in 0..<16 { raw[i] = b[i] }
    }
    return a
  }

  public static func < (a: IPv6Address, b: IPv6Address) -> Bool {
    (a.high, a.low) < (b.high, b.low)
  }
}

/// An IPv4 or IPv6 address.
public enum IPAddress: Hashable, Sendable, CustomStringConvertible {
  case v4(IPv4Address)
  case v6(IPv6Address)

  /// Parses text as wg does: text containing `:` is IPv6, anything else strict IPv4.
  public init?(_ text: String) {
    if text.utf8.contains(UInt8(ascii: ":")) {
      guard let a = IPv6Address(text) else { return nil }
      self = .v6(a)
    } else {
      guard let a = IPv4Address(text) else { return nil }
      self = .v4(a)
    }
  }

  /// The address family: AF_INET or AF_INET6.
  public var family: Int32 {
    switch self {
    case .v4: return AF_INET
    case .v6: return AF_INET6
    }
  }

  /// The longest prefix length for this family: 32 or 128.
  public var maxPrefixLength: UInt8 {
    switch self {
    case .v4: return 32
    case .v6: return 128
    }
  }

  public var bytes: [UInt8] {
    switch self {
    case .v4(let a): return a.bytes
    case .v6(let a): return a.bytes
    }
  }

  /// Text as inet_ntop prints it (wg prints allowed IPs this way).
  public var description: String {
    withText { String(decoding: $0, as: UTF8.self) }
  }
}

extension IPv4Address {
  /// Parses dotted-quad bytes exactly as glibc's inet_pton(AF_INET) accepts them: four
  /// decimal octets of at most 255, no leading zeros, nothing else. Works on bytes so that
  /// config parsing makes no String per address.
  @inlinable
  public init?<C: Collection>(text: C) where C.Element == UInt8 {
    guard let parsed = text.withContiguousStorageIfAvailable({ IPv4Address(textBuffer: $0) })
    else {
      self.init(textBuffer: Array(text))
      return
    }
    guard let parsed else { return nil }
    self = parsed
  }

  @inlinable
  init?(textBuffer text: [UInt8]) {
    guard let parsed = text.withUnsafeBufferPointer({ IPv4Address(textBuffer: $0) }) else {
      return nil
    }
    self = parsed
  }

  @usableFromInline
  init?(textBuffer text: UnsafeBufferPointer<UInt8>) {
    var value: UInt32 = 0
    var octet: UInt32 = 0
    var digits = 0
    var octets = 0
    for c in text {
      if c >= 0x30 && c <= 0x39 {
        if digits > 0 && octet == 0 { return nil }  // leading zero
        octet = octet * 10 + UInt32(c - 0x30)
        guard octet <= 255 else { return nil }
        digits += 1
      } else if c == UInt8(ascii: ".") {
        guard digits > 0, octets < 3 else { return nil }
        value = value << 8 | octet
        octets += 1
        octet = 0
        digits = 0
      } else {
        return nil
      }
    }
    guard digits > 0, octets == 3 else { return nil }
    self.value = value << 8 | octet
  }
}
