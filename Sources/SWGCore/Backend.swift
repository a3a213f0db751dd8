import Glibc

/// An errno value from a syscall, the kernel or a UAPI daemon.
///
/// `description` is strerror's text, which is what wg prints after
/// `Unable to access interface: `.
public struct Errno: Error, Hashable, Sendable, CustomStringConvertible {
  public var rawValue: Int32

  public init(_ rawValue: Int32) { self.rawValue = rawValue }

  /// The calling thread's current errno.
  public static var current: Errno { Errno(Glibc.errno) }

  public var description: String {
    guard let text = strerror(rawValue) else { return "Unknown error \(rawValue)" }
    return String(cString: text)
  }

  public static let noSuchDevice = Errno(ENODEV)
  public static let notSupported = Errno(EOPNOTSUPP)
  public static let protocolNotSupported = Errno(EPROTONOSUPPORT)
  public static let protocolError = Errno(EPROTO)
  public static let invalidArgument = Errno(EINVAL)
  public static let nameTooLong = Errno(ENAMETOOLONG)
  public static let interrupted = Errno(EINTR)
  public static let permissionDenied = Errno(EACCES)
  public static let notPermitted = Errno(EPERM)
  public static let timedOut = Errno(ETIMEDOUT)
}

/// A backend errors with an `Errno` where wg prints strerror; other errors describe themselves.
public protocol ErrnoConvertible: Error {
  var errno: Errno { get }
}

extension Errno: ErrnoConvertible {
  public var errno: Errno { self }
}

/// One way to reach WireGuard devices: the kernel over generic netlink, or a userspace
/// daemon over its UAPI socket. Mirrors wg's `ipc_list_devices`, `ipc_get_device` and
/// `ipc_set_device`.
public protocol WireGuardBackend: Sendable {
  /// Names of the devices this backend can see, in its natural order.
  func deviceNames() throws -> [String]
  /// Reads a device's whole state.
  func device(named name: String) throws -> Device
  /// Applies a change to a device. On failure, errors carry the errno wg would report.
  func apply(_ change: DeviceChange, to name: String) throws
}
