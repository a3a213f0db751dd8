import Glibc
import SWGCore

/// Parsers for the values of a UAPI reply, over raw bytes, with wg's rules.
enum UAPIValue {
  /// wg's `NUM(max)`: the first byte must be a digit, every byte a digit, and the
  /// number at most `max`. (wg's strtoull saturates on overflow; this refuses it.)
  static func unsigned(_ v: UnsafeRawBufferPointer, max: UInt64) -> UInt64? {
    guard let first = v.first, isDigit(first) else { return nil }
    var n: UInt64 = 0
    for c in v {
      guard isDigit(c) else { return nil }
      let (m, o1) = n.multipliedReportingOverflow(by: 10)
      let (s, o2) = m.addingReportingOverflow(UInt64(c &- 48))
      guard !o1, !o2 else { return nil }
      n = s
    }
    return n <= max ? n : nil
  }

  /// The value of `errno=` in a set reply: an optional `-`, then digits, within Int32
  /// (wg's strtoll with the INT_MIN...INT_MAX check).
  static func signed32(_ v: UnsafeRawBufferPointer) -> Int32? {
    guard let first = v.first else { return nil }
    let negative = first == UInt8(ascii: "-")
    let digits = negative ? UnsafeRawBufferPointer(rebasing: v[1...]) : v
    guard let magnitude = unsigned(digits, max: UInt64(Int32.max) + 1) else { return nil }
    if negative { return Int32(truncatingIfNeeded: 0 &- Int64(magnitude)) }
    guard magnitude <= UInt64(Int32.max) else { return nil }
    return Int32(magnitude)
  }

  /// 64 hex digits (either case) as a key, decoded without branching on the digits,
  /// like wg's key_from_hex. (Key(hexBytes:) does the same but is generic across a module
  /// boundary, which costs a witness-table call per digit.)
  static func key(_ v: UnsafeRawBufferPointer) -> Key? {
    guard v.count == 64 else { return nil }
    var bad: Int32 = 0
    var key = Key.zero
    key.withUnsafeMutableBytes { out in
      for i in 0..<32 {
        let h = hexValue(Int32(v[2 * i]))
        let l = hexValue(Int32(v[2 * i + 1]))
        bad |= (h | l) >> 31
        out[i] = UInt8(truncatingIfNeeded: (h << 4) | (l & 15))
      }
    }
    return bad == 0 ? key : nil
  }

  /// The value of a hex digit, or -1, computed without branches.
  @inline(__always)
  private static func hexValue(_ c: Int32) -> Int32 {
    let num = c ^ 48
    let numMask = (num &- 10) >> 8
    let alpha = (c & ~32) &- 55
    let alphaMask = ((alpha &- 10) ^ (alpha &- 16)) >> 8
    return ((numMask & num) | (alphaMask & alpha)) | ~(numMask | alphaMask)
  }

  @inline(__always)
  static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

  /// Strict dotted quad, as glibc's inet_pton(AF_INET): four parts of 1-3 digits,
  /// each at most 255, no leading zeros.
  static func ipv4(_ v: UnsafeRawBufferPointer) -> IPv4Address? {
    var value: UInt32 = 0
    var part: UInt32 = 0
    var digits = 0
    var parts = 0
    for c in v {
      if isDigit(c) {
        if digits > 0 && part == 0 { return nil }
        part = part * 10 + UInt32(c &- 48)
        digits += 1
        guard part <= 255 else { return nil }
      } else if c == UInt8(ascii: ".") {
        guard digits > 0, parts < 3 else { return nil }
        value = value << 8 | part
        parts += 1
        part = 0
        digits = 0
      } else {
        return nil
      }
    }
    guard digits > 0, parts == 3 else { return nil }
    return IPv4Address(value << 8 | part)
  }

  /// inet_pton(AF_INET6) on a copy with a terminating NUL.
  static func ipv6(_ v: UnsafeRawBufferPointer) -> IPv6Address? {
    guard v.count > 0, v.count < 64 else { return nil }
    return withCString(v) { text in
      var a = in6_addr()
      guard inet_pton(AF_INET6, text, &a) == 1 else { return nil }
      return IPv6Address(in6: a)
    }
  }

  /// wg's allowed_ip rule: `ip/cidr`; the cidr starts with a digit and is all digits;
  /// an address containing `:` is IPv6, anything else strict IPv4.
  static func allowedIP(_ v: UnsafeRawBufferPointer) -> AllowedIP? {
    guard let slash = v.firstIndex(of: UInt8(ascii: "/")) else { return nil }
    let ip = UnsafeRawBufferPointer(rebasing: v[..<slash])
    let mask = UnsafeRawBufferPointer(rebasing: v[(slash + 1)...])
    guard let cidr = unsigned(mask, max: 128) else { return nil }
    let address: IPAddress
    if ip.contains(UInt8(ascii: ":")) {
      guard let a = ipv6(ip) else { return nil }
      address = .v6(a)
    } else {
      guard let a = ipv4(ip) else { return nil }
      address = .v4(a)
    }
    return AllowedIP(address: address, cidr: UInt8(cidr))
  }

  enum EndpointResult {
    case endpoint(Endpoint)
    /// wg breaks out of its loop: EPROTO.
    case malformed
    /// wg's getaddrinfo fails: ENETUNREACH.
    case unresolvable
  }

  /// wg's endpoint rule: `[host]:port` or `host:port` split at the last `:`; then
  /// the address is read numerically (getaddrinfo with AI_NUMERICHOST, never DNS).
  static func endpoint(_ v: UnsafeRawBufferPointer) -> EndpointResult {
    guard let first = v.first else { return .malformed }
    let host: UnsafeRawBufferPointer
    let port: UnsafeRawBufferPointer
    if first == UInt8(ascii: "[") {
      guard let close = v.firstIndex(of: UInt8(ascii: "]")) else { return .malformed }
      let after = close + 1
      guard after < v.count, v[after] == UInt8(ascii: ":"), after + 1 < v.count else {
        return .malformed
      }
      host = UnsafeRawBufferPointer(rebasing: v[1..<close])
      port = UnsafeRawBufferPointer(rebasing: v[(after + 1)...])
    } else {
      guard let colon = v.lastIndex(of: UInt8(ascii: ":")), colon + 1 < v.count else {
        return .malformed
      }
      host = UnsafeRawBufferPointer(rebasing: v[..<colon])
      port = UnsafeRawBufferPointer(rebasing: v[(colon + 1)...])
    }
    // Fast paths for what daemons send; anything else goes through getaddrinfo as wg does.
    if let p = unsigned(port, max: 65535) {
      if let a = ipv4(host) { return .endpoint(.v4(a, port: UInt16(p))) }
      if !host.contains(UInt8(ascii: "%")), host.contains(UInt8(ascii: ":")), let a = ipv6(host) {
        return .endpoint(.v6(a, port: UInt16(p)))
      }
    }
    return resolveNumerically(host: host, port: port)
  }

  private static func resolveNumerically(
    host: UnsafeRawBufferPointer, port: UnsafeRawBufferPointer
  ) -> EndpointResult {
    // Names longer than any numeric address cannot be numeric.
    guard host.count < 256, port.count < 32 else { return .unresolvable }
    return withCString(host) { h in
      withCString(port) { p in
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        hints.ai_protocol = Int32(IPPROTO_UDP)
        hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(h, p, &hints, &result) == 0, let r = result else { return .unresolvable }
        defer { freeaddrinfo(r) }
        let info = r.pointee
        let length = Int(info.ai_addrlen)
        guard let sa = info.ai_addr,
          (info.ai_family == AF_INET && length == MemoryLayout<sockaddr_in>.size)
            || (info.ai_family == AF_INET6 && length == MemoryLayout<sockaddr_in6>.size),
          let e = Endpoint(sockaddr: UnsafeRawBufferPointer(start: sa, count: length))
        else { return .malformed }
        return .endpoint(e)
      }
    }
  }

  /// Calls `body` with a NUL-terminated copy of `bytes` (which contain no NUL).
  private static func withCString<R>(
    _ bytes: UnsafeRawBufferPointer, _ body: (UnsafePointer<CChar>) -> R
  ) -> R {
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { buf in
      for (i, c) in bytes.enumerated() { buf[i] = CChar(bitPattern: c) }
      buf[bytes.count] = 0
      // A temporary allocation always has a base address.
      guard let base = buf.baseAddress else { return body("") }
      return body(base)
    }
  }
}
