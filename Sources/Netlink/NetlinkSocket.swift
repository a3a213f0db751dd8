// The netlink socket: libmnl's mnl_socket_* calls, EINTR retried, errors as NetlinkError.
import CMnl
import Glibc

/// Netlink protocol numbers for `NetlinkSocket(protocol:)`.
public enum NetlinkProtocol: Int32, Sendable {
  case route = 0  // NETLINK_ROUTE
  case generic = 16  // NETLINK_GENERIC
}

/// How a socket is set up beyond its protocol.
public struct NetlinkSocketOptions: Sendable, Equatable {
  /// Bytes of the user-space receive buffer: the largest datagram that can be read.
  /// Dumps arrive in datagrams of up to 32 KiB (the kernel's cap).
  public var receiveBufferSize: Int
  /// NETLINK_EXT_ACK and NETLINK_CAP_ACK: errors carry the kernel's text and echo only the
  /// request's header.
  public var extendedAck: Bool
  /// The kernel's receive queue (SO_RCVBUFFORCE, else SO_RCVBUF up to rmem_max): room for
  /// the answers to a whole batch; nil keeps the system default.
  public var kernelReceiveBuffer: Int32?

  public init(
    receiveBufferSize: Int = 32768, extendedAck: Bool = false, kernelReceiveBuffer: Int32? = nil
  ) {
    self.receiveBufferSize = receiveBufferSize
    self.extendedAck = extendedAck
    self.kernelReceiveBuffer = kernelReceiveBuffer
  }
}

/// A bound netlink socket (libmnl). Closed when released.
///
/// Received bytes are copied out and the used part of the receive buffer is wiped at once
/// (generic netlink replies carry private keys).
public final class NetlinkSocket: NetlinkTransport {
  private let socket: OpaquePointer
  public let portID: UInt32
  private var buffer: [UInt8]

  public convenience init(protocol proto: NetlinkProtocol, receiveBufferSize: Int = 32768)
    throws(NetlinkError)
  {
    try self.init(
      protocol: proto, options: NetlinkSocketOptions(receiveBufferSize: receiveBufferSize))
  }

  public init(protocol proto: NetlinkProtocol, options: NetlinkSocketOptions) throws(NetlinkError) {
    guard let socket = mnl_socket_open2(proto.rawValue, Int32(SOCK_CLOEXEC.rawValue)) else {
      throw .system(call: "mnl_socket_open", errno: Glibc.errno)
    }
    if options.extendedAck {
      // Best effort: kernels before 4.12 lack them and still answer, without the text.
      var on: Int32 = 1
      _ = mnl_socket_setsockopt(socket, NETLINK_EXT_ACK, &on, socklen_t(MemoryLayout<Int32>.size))
      _ = mnl_socket_setsockopt(socket, NETLINK_CAP_ACK, &on, socklen_t(MemoryLayout<Int32>.size))
    }
    if var size = options.kernelReceiveBuffer {
      // SO_RCVBUFFORCE needs CAP_NET_ADMIN; without it SO_RCVBUF is capped by rmem_max.
      let fd = mnl_socket_get_fd(socket)
      let length = socklen_t(MemoryLayout<Int32>.size)
      if setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, length) != 0 {
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, length)
      }
    }
    guard mnl_socket_bind(socket, 0, pid_t(MNL_SOCKET_AUTOPID)) == 0 else {
      let e = Glibc.errno
      mnl_socket_close(socket)
      throw .system(call: "mnl_socket_bind", errno: e)
    }
    self.socket = socket
    portID = mnl_socket_get_portid(socket)
    buffer = [UInt8](repeating: 0, count: max(options.receiveBufferSize, 4096))
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
      if count >= 0 {
        let used = min(count, buffer.count)
        let datagram = Array(buffer[0..<used])
        wipeBytes(&buffer, count: used)
        return datagram
      }
      let e = Glibc.errno
      if e != EINTR { throw .system(call: "mnl_socket_recvfrom", errno: e) }
    }
  }
}

/// Zeroes the first `count` bytes (all by default) in a way the optimiser keeps.
@usableFromInline func wipeBytes(_ bytes: inout [UInt8], count: Int? = nil) {
  bytes.withUnsafeMutableBytes { raw in
    guard let base = raw.baseAddress else { return }
    explicit_bzero(base, min(count ?? raw.count, raw.count))
  }
}
