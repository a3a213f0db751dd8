// The netlink socket: libmnl's mnl_socket_* calls, EINTR retried, errors as NetlinkError.
import CMnl
import Glibc

/// Netlink protocol numbers for `NetlinkSocket(protocol:)`.
public enum NetlinkProtocol: Int32, Sendable {
  case route = 0  // NETLINK_ROUTE
  case generic = 16  // NETLINK_GENERIC
}

/// A bound netlink socket (libmnl). Closed when released.
public final class NetlinkSocket: NetlinkTransport {
  private let socket: OpaquePointer
  public let portID: UInt32
  /// The receive buffer: dumps arrive in datagrams of up to 32 KiB (the kernel's cap).
  private var buffer: [UInt8]

  public init(protocol proto: NetlinkProtocol, receiveBufferSize: Int = 32768) throws(NetlinkError)
  {
    guard let socket = mnl_socket_open2(proto.rawValue, Int32(SOCK_CLOEXEC.rawValue)) else {
      throw .system(call: "mnl_socket_open", errno: Glibc.errno)
    }
    guard mnl_socket_bind(socket, 0, pid_t(MNL_SOCKET_AUTOPID)) == 0 else {
      let e = Glibc.errno
      mnl_socket_close(socket)
      throw .system(call: "mnl_socket_bind", errno: e)
    }
    self.socket = socket
    portID = mnl_socket_get_portid(socket)
    buffer = [UInt8](repeating: 0, count: max(receiveBufferSize, 4096))
  }

  deinit { mnl_socket_close(socket) }

  public func send(_ bytes: [UInt8]) throws(NetlinkError) {
    while true {
      let sent = bytes.withUnsafeBytes { mnl_socket_sendto(socket, $0.baseAddress, $0.count) }
      if sent >= 0 { return }
      let e = Glibc.errno
      if e != EINTR { throw .system(call: "mnl_socket_sendto", errno: e) }
    }
  }

  public func receive() throws(NetlinkError) -> [UInt8] {
    while true {
      // mnl_socket_recvfrom fails with ENOSPC when the datagram was truncated.
      let count = buffer.withUnsafeMutableBytes {
        mnl_socket_recvfrom(socket, $0.baseAddress, $0.count)
      }
      if count >= 0 { return Array(buffer[0..<min(count, buffer.count)]) }
      let e = Glibc.errno
      if e != EINTR { throw .system(call: "mnl_socket_recvfrom", errno: e) }
    }
  }
}
