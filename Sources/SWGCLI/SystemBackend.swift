import SWGCore
import SWGKernel
import SWGUAPI

/// The backends a real swg process uses: the kernel over generic netlink, and userspace
/// daemons over their UAPI sockets, chosen per name as wg's `ipc.c` chooses.
enum SystemBackend {
  static func make() -> any WireGuardBackend {
    let userspace = UAPIBackend()
    return BackendSelector(
      kernel: KernelBackend(), userspace: userspace,
      isUserspace: { userspace.isUserspaceInterface($0) })
  }
}
