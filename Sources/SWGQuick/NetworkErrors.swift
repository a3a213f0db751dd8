import Glibc
import Netlink

/// Turns a kernel error on one rtnetlink operation into one line that says what was being
/// done, to what, what the kernel said, and the likely cause.
public enum NetworkErrors {
  /// `OPERATION failed: STRERROR (kernel text); HINT`
  public static func describe(
    _ operation: String, _ error: RouteNetlinkError, v6: Bool = false,
    ipv6Disabled: Bool = NetworkErrors.ipv6Disabled()
  ) -> String {
    var line = "\(operation) failed: \(error)"
    if let hint = hint(for: error.code, operation: operation, v6: v6, ipv6Disabled: ipv6Disabled) {
      line += "; \(hint)"
    }
    return line
  }

  static func hint(for code: Int32, operation: String, v6: Bool, ipv6Disabled: Bool) -> String? {
    switch code {
    case EACCES where v6 && ipv6Disabled, EAFNOSUPPORT where v6:
      return "IPv6 is disabled on this system (net.ipv6.conf.all.disable_ipv6 = 1, or ipv6.disable=1 at boot): remove the IPv6 entries or enable IPv6"
    case EACCES where v6:
      return "IPv6 is probably disabled on this interface (net.ipv6.conf.default.disable_ipv6 = 1)"
    case EPERM, EACCES:
      return "this needs CAP_NET_ADMIN: run as root"
    case EEXIST:
      if operation.hasPrefix("adding address") {
        return "the address is already assigned (listed twice in Address, or on another interface)"
      }
      if operation.hasPrefix("adding route") {
        return "an identical route already exists in that table (another interface or a previous run?)"
      }
      if operation.hasPrefix("adding rule") { return "an identical rule already exists" }
      return "it already exists"
    case ENODEV:
      return "the interface disappeared while it was being configured"
    case EINVAL where operation.hasPrefix("setting MTU"):
      return "the MTU is out of range for this device (IPv6 addresses need at least 1280)"
    case EOPNOTSUPP where operation.hasPrefix("creating interface"):
      return "the kernel has no WireGuard module"
    case ENETUNREACH, EHOSTUNREACH:
      return "no route to that destination"
    default:
      return nil
    }
  }

  /// True when IPv6 is off system-wide: no /proc/sys/net/ipv6 (ipv6.disable=1) or
  /// net.ipv6.conf.all.disable_ipv6 = 1.
  public static func ipv6Disabled() -> Bool {
    guard let text = readSmallFile("/proc/sys/net/ipv6/conf/all/disable_ipv6") else { return true }
    return text.hasPrefix("1")
  }
}
