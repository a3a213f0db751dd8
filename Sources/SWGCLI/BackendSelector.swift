import SWGCore

/// wg's `ipc.c` choice of transport: a name whose `NAME.sock` is a live userspace socket
/// goes to the UAPI backend, every other name to the kernel; listing gives the kernel's
/// WireGuard links first, then the userspace sockets.
public struct BackendSelector: WireGuardBackend {
  public var kernel: any WireGuardBackend
  public var userspace: any WireGuardBackend
  /// True when `name` is served by a userspace daemon (may unlink a stale socket, as wg does).
  public var isUserspace: @Sendable (String) -> Bool

  public init(
    kernel: any WireGuardBackend, userspace: any WireGuardBackend,
    isUserspace: @escaping @Sendable (String) -> Bool
  ) {
    self.kernel = kernel
    self.userspace = userspace
    self.isUserspace = isUserspace
  }

  public func deviceNames() throws -> [String] {
    try kernel.deviceNames() + userspace.deviceNames()
  }

  public func device(named name: String) throws -> Device {
    try (isUserspace(name) ? userspace : kernel).device(named: name)
  }

  public func apply(_ change: DeviceChange, to name: String) throws {
    try (isUserspace(name) ? userspace : kernel).apply(change, to: name)
  }
}
