import SWGCore
import SWGKernel

/// The kernel backend. (Until SWGKernel lands, the kernel is unreachable from here.)
func kernelBackend() -> any WireGuardBackend {
  PendingKernelBackend()
}

private struct PendingKernelBackend: WireGuardBackend {
  func deviceNames() throws -> [String] { [] }
  func device(named name: String) throws -> Device { throw Errno.protocolNotSupported }
  func apply(_ change: DeviceChange, to name: String) throws { throw Errno.protocolNotSupported }
}
