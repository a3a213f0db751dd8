// The kernel backend: the `wireguard` generic netlink family over a libmnl socket.
// The bytes are made and read in SetDeviceEncoder, GetDeviceDecoder and
// AllowedIPRemovalFallback; this file only talks to the kernel.
import Glibc
import Netlink
import SWGCore

/// Reaches kernel WireGuard interfaces, as wg's `ipc-linux.h` does. Errors are `Errno`
/// values with the errno wg reports (ENODEV, EOPNOTSUPP, EPROTONOSUPPORT, EPERM, ...).
public struct KernelBackend: WireGuardBackend {
  /// Largest message sent, as wg: `min(getpagesize(), 8192)`.
  public var messageLimit: Int
  /// How many times a GET is restarted when the device changes while it is read.
  public var dumpRetries: Int

  /// Opens the socket for a protocol; tests substitute recorded or simulated replies.
  let connect: @Sendable (NetlinkProtocol) throws(NetlinkError) -> NetlinkConnection

  public init(messageLimit: Int = SetDeviceEncoder.defaultLimit, dumpRetries: Int = 100) {
    self.init(messageLimit: messageLimit, dumpRetries: dumpRetries) {
      (proto) throws(NetlinkError) in
      try NetlinkConnection(protocol: proto)
    }
  }

  /// A backend whose netlink conversations go through `connect` (one call per operation).
  public init(
    messageLimit: Int = SetDeviceEncoder.defaultLimit, dumpRetries: Int = 100,
    connect: @escaping @Sendable (NetlinkProtocol) throws(NetlinkError) -> NetlinkConnection
  ) {
    self.messageLimit = messageLimit
    self.dumpRetries = dumpRetries
    self.connect = connect
  }

  /// Links of kind "wireguard", in the kernel's order (`RTM_GETLINK` dump).
  public func deviceNames() throws -> [String] {
    try errno {
      let connection = try connect(.route)
      return try LinkDump.links(on: connection).filter { $0.kind == WireGuardFamily.name }.map(
        \.name)
    }
  }

  public func device(named name: String) throws -> Device {
    // Upstream wg (since v1.0.20250521) refuses a name that cannot fit IFNAMSIZ before
    // asking the kernel: "File name too long". (Debian's older wg sent it and got EINVAL.)
    guard name.utf8.count < Int(IFNAMSIZ) else { throw Errno.nameTooLong }
    return try errno {
      let connection = try connect(.generic)
      let family = try GenericNetlink.resolve(WireGuardFamily.name, on: connection)
      return try readDevice(name, family: family, on: connection)
    }
  }

  public func apply(_ change: DeviceChange, to name: String) throws {
    // wg copies the name into a 16-byte buffer, so a longer one is cut to 15 bytes.
    let name = String(decoding: name.utf8.prefix(Int(IFNAMSIZ) - 1), as: UTF8.self)
    try errno {
      let connection = try connect(.generic)
      let family = try GenericNetlink.resolve(WireGuardFamily.name, on: connection)
      do {
        try send(change, to: name, family: family, on: connection)
      } catch NetlinkError.kernel(let code)
        where change.removesAllowedIPs && (code == EINVAL || code == EOPNOTSUPP)
      {
        // Before Linux 6.16 the kernel refuses WGALLOWEDIP_A_FLAGS. Read the device and send
        // each affected peer's resulting list with REPLACE_ALLOWEDIPS instead.
        let current = try readDevice(name, family: family, on: connection)
        try send(
          change.withoutAllowedIPRemovals(current: current), to: name, family: family,
          on: connection)
      }
    }
  }

  /// Sends the change's messages as they are built, each acknowledged before the next.
  func send(
    _ change: DeviceChange, to name: String, family: UInt16, on connection: NetlinkConnection
  ) throws(NetlinkError) {
    try SetDeviceEncoder.forEachMessage(
      for: change, interface: name, familyID: family, limit: messageLimit
    ) { (message) throws(NetlinkError) in
      // It holds the private and preshared keys: zeroed once sent, when nothing else holds
      // it (the connection wipes its own datagram copy). Through SWGCore's wipe rather than
      // NetlinkMessage.wipe(), so tests observe it.
      defer { wipeSharedStorage(of: message.bytes) }
      try connection.request(message)
    }
  }

  /// One GET_DEVICE dump, restarted from scratch when the kernel marks it interrupted.
  func readDevice(_ name: String, family: UInt16, on connection: NetlinkConnection)
    throws(NetlinkError) -> Device
  {
    var attempts = 0
    while true {
      var assembler = DeviceDumpAssembler(name: name)
      do {
        try connection.request(GetDeviceRequest.message(interface: name, familyID: family)) {
          (reply) throws(NetlinkError) in try assembler.add(reply)
        }
        return assembler.device
      } catch .dumpInterrupted where attempts < dumpRetries {
        attempts += 1
      }
    }
  }

  /// Runs `body`, turning netlink errors into the errno wg reports.
  private func errno<R>(_ body: () throws -> R) throws -> R {
    do {
      return try body()
    } catch let error as NetlinkError {
      throw Errno(error.errno)
    }
  }
}
