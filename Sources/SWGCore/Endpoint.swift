import Glibc

/// A peer's UDP endpoint: an IPv4 or IPv6 socket address.
public enum Endpoint: Hashable, Sendable, CustomStringConvertible {
  case v4(IPv4Address, port: UInt16)
  case v6(IPv6Address, port: UInt16, flowInfo: UInt32 = 0, scopeID: UInt32 = 0)

  public var port: UInt16 {
    switch self {
    case .v4(_, let port): return port
    case .v6(_, let port, _, _): return port
    }
  }

  public var address: IPAddress {
    switch self {
    case .v4(let a, _): return .v4(a)
    case .v6(let a, _, _, _): return .v6(a)
    }
  }

  /// Reads a `sockaddr_in` or `sockaddr_in6`; nil for other families or short buffers.
  public init?(sockaddr raw: UnsafeRawBufferPointer) {
    guard raw.count >= 2 else { return nil }
    let family = raw.loadUnaligned(as: sa_family_t.self)
    if Int32(family) == AF_INET && raw.count >= MemoryLayout<sockaddr_in>.size {
      let sin = raw.loadUnaligned(as: sockaddr_in.self)
      self = .v4(
        IPv4Address(UInt32(bigEndian: sin.sin_addr.s_addr)), port: UInt16(bigEndian: sin.sin_port))
    } else if Int32(family) == AF_INET6 && raw.count >= MemoryLayout<sockaddr_in6>.size {
      let sin6 = raw.loadUnaligned(as: sockaddr_in6.self)
      self = .v6(
        IPv6Address(in6: sin6.sin6_addr), port: UInt16(bigEndian: sin6.sin6_port),
        flowInfo: UInt32(bigEndian: sin6.sin6_flowinfo), scopeID: sin6.sin6_scope_id)
    } else {
      return nil
    }
  }

  /// Calls `body` with the endpoint as a `sockaddr_in` (16 bytes) or `sockaddr_in6` (28 bytes).
  public func withSockaddr<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    switch self {
    case .v4(let a, let port):
      var sin = sockaddr_in()
      sin.sin_family = sa_family_t(AF_INET)
      sin.sin_port = port.bigEndian
      sin.sin_addr = a.inAddr
      return try Swift.withUnsafeBytes(of: &sin) { try body($0) }
    case .v6(let a, let port, let flowInfo, let scopeID):
      var sin6 = sockaddr_in6()
      sin6.sin6_family = sa_family_t(AF_INET6)
      sin6.sin6_port = port.bigEndian
      sin6.sin6_flowinfo = flowInfo.bigEndian
      sin6.sin6_addr = a.in6Addr
      sin6.sin6_scope_id = scopeID
      return try Swift.withUnsafeBytes(of: &sin6) { try body($0) }
    }
  }

  /// `host:port` or `[host]:port`, as wg prints it: getnameinfo with numeric host and
  /// service, so a link-local scope shows as `%ifname`.
  public var description: String {
    var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
    var serv = [CChar](repeating: 0, count: Int(NI_MAXSERV))
    let flags = NI_NUMERICHOST | NI_NUMERICSERV | NI_DGRAM
    let rc = withSockaddr { raw -> Int32 in
      guard let sa = raw.baseAddress?.assumingMemoryBound(to: sockaddr.self) else {
        return EAI_FAIL
      }
      return getnameinfo(
        sa, socklen_t(raw.count), &host, socklen_t(host.count), &serv, socklen_t(serv.count), flags)
    }
    if rc != 0 {
      guard let text = gai_strerror(rc) else { return "?" }
      return String(cString: text)
    }
    let h = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let s = String(decoding: serv.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    if case .v6 = self, h.utf8.contains(UInt8(ascii: ":")) { return "[\(h)]:\(s)" }
    return "\(h):\(s)"
  }
}
