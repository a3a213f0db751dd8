import SWGCore
import SWGConfig
import SWGKernel
import SWGUAPI

/// Reaching the WireGuard device behind an interface name: the userspace daemon when it
/// has a UAPI socket, the kernel otherwise (as wg's ipc layer chooses).
enum WireGuardAccess {
  static func backend(for name: String) -> any WireGuardBackend {
    if UAPIBackend.isUserspaceInterface(name) { return UAPIBackend() }
    return kernelBackend()
  }

  static func isUserspace(_ name: String) -> Bool {
    UAPIBackend.isUserspaceInterface(name)
  }

  /// The text of an error from a backend or a config parse, as wg prints it.
  static func describe(_ error: any Error) -> String {
    if let e = error as? any ErrnoConvertible { return e.errno.description }
    return String(describing: error)
  }
}
