import Glibc
import SWGCore

/// Appending model values as wg prints them, straight into the byte buffer.
extension Output {
  /// A key as 44 characters of base64 (encoded in wiped scratch, with no String copy).
  @inline(__always)
  public mutating func append(key: Key) {
    key.appendBase64(to: &bytes)
  }

  /// An address as inet_ntop prints it.
  @inline(__always)
  public mutating func append(address: IPAddress) {
    switch address {
    case .v4(let a): append(ipv4: a.value)
    case .v6(let a): append(ipv6: a)
    }
  }

  /// IPv6 text exactly as glibc's inet_ntop writes it (SWGCore's formatter: inet_ntop
  /// itself goes through sprintf, which dominated big dumps).
  public mutating func append(ipv6 a: IPv6Address) {
    IPAddress.v6(a).withText { bytes.append(contentsOf: $0) }
  }

  /// Dotted quad from a host-order value (SWGCore's formatter, shared with the UAPI writer).
  @inline(__always)
  mutating func append(ipv4 value: UInt32) {
    IPAddress.v4(IPv4Address(value)).withText { bytes.append(contentsOf: $0) }
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
