import SWGCore
import SWGKernel

/// The kernel backend (generic netlink family `wireguard`).
func kernelBackend() -> any WireGuardBackend {
  KernelBackend()
}
