import Glibc
import SWGCore
import SWGUAPI

/// The backends a real swg process uses.
enum SystemBackend {
  static func make() -> any WireGuardBackend {
    BackendSelector(
      kernel: KernelPending(), userspace: UAPIBackend(),
      isUserspace: { UAPIBackend.isUserspaceInterface($0) })
  }
}

// TEMPORARY: replaced by SWGKernel's KernelBackend as soon as it is committed. Until then
// kernel devices answer as a kernel without the wireguard module does.
struct KernelPending: WireGuardBackend {
  func deviceNames() throws -> [String] { [] }
  func device(named name: String) throws -> Device { throw Errno(EPROTONOSUPPORT) }
  func apply(_ change: DeviceChange, to name: String) throws { throw Errno(EPROTONOSUPPORT) }
}
