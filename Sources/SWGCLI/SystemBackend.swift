import SWGCore
import SWGKernel
import SWGUAPI

/// The backends a real swg process uses: the kernel over generic netlink, and userspace
/// daemons over their UAPI sockets, chosen per name as wg's `ipc.c` chooses.
enum SystemBackend {
  static func make() -> any WireGuardBackend {
    // wg waits for a daemon forever. A daemon with 50,000 peers can take well over 5 s to
    // start answering a get on a busy machine, so swg waits up to two minutes per call
    // (still bounded, so a hung daemon cannot hang scripts for ever).
    let userspace = UAPIBackend(timeout: .seconds(120))
    return BackendSelector(
      kernel: KernelBackend(), userspace: userspace,
      isUserspace: { userspace.isUserspaceInterface($0) })
  }
}
