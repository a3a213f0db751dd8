import Glibc
import SWGCore
import SWGKernel
import SWGUAPI

/// The backends a real swg process uses: the kernel over generic netlink, and userspace
/// daemons over their UAPI sockets, chosen per name as wg's `ipc.c` chooses.
enum SystemBackend {
  static func make() -> any WireGuardBackend {
    // wg waits for a daemon forever. A daemon with 50,000 peers can take well over 5 s to
    // start answering a get on a busy machine, so swg waits up to two minutes per call
    // (still bounded, so a hung daemon cannot hang scripts for ever). SWG_UAPI_TIMEOUT
    // (whole seconds, 1-86400) changes that wait.
    let userspace = UAPIBackend(timeout: .seconds(uapiTimeoutSeconds()))
    return BackendSelector(
      kernel: KernelBackend(), userspace: userspace,
      isUserspace: { userspace.isUserspaceInterface($0) })
  }

  /// SWG_UAPI_TIMEOUT when it holds a whole number of seconds from 1 to 86400, else 120.
  static func uapiTimeoutSeconds() -> Int64 {
    guard let raw = getenv("SWG_UAPI_TIMEOUT") else { return 120 }
    let text = String(cString: raw)
    guard text.utf8.count <= 5, let n = Int64(text), n >= 1, n <= 86_400 else { return 120 }
    return n
  }
}
