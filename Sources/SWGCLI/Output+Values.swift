import Glibc
import SWGCore

/// Appending model values as wg prints them, straight into the byte buffer.
extension Output {
  /// A key as 44 characters of base64.
  @inline(__always)
  public mutating func append(key: Key) {
    append(key.base64)
  }

  /// An address as inet_ntop prints it.
  public mutating func append(address: IPAddress) {
    switch address {
    case .v4(let a): append(ipv4: a.value)
    case .v6(let a):
      var raw = a.in6Addr
      withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buf in
        guard let base = buf.baseAddress, inet_ntop(AF_INET6, &raw, base, 64) != nil else {
          append("?")
          return
        }
        let len = strlen(base)
        UnsafeRawBufferPointer(start: base, count: len).withMemoryRebound(to: UInt8.self) {
          bytes.append(contentsOf: $0)
        }
      }
    }
  }

  /// Dotted quad from a host-order value.
  @inline(__always)
  mutating func append(ipv4 value: UInt32) {
    append(decimal: UInt64(value >> 24))
    append(byte: 46)
    append(decimal: UInt64((value >> 16) & 0xff))
    append(byte: 46)
    append(decimal: UInt64((value >> 8) & 0xff))
    append(byte: 46)
    append(decimal: UInt64(value & 0xff))
  }

  /// `host:port` or `[v6host]:port`, as getnameinfo(NI_NUMERICHOST|NI_NUMERICSERV) gives it.
  public mutating func append(endpoint: Endpoint) {
    switch endpoint {
    case .v4(let a, let port):
      append(ipv4: a.value)
      append(byte: 58)
      append(decimal: UInt64(port))
    case .v6(let a, let port, _, let scopeID) where scopeID == 0:
      append(byte: 91)
      append(address: .v6(a))
      append("]:")
      append(decimal: UInt64(port))
    default:
      // A scope id prints as %ifname; getnameinfo knows how.
      append(endpoint.description)
    }
  }
}
