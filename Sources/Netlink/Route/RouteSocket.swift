import CMnl
import Glibc

/// A failed rtnetlink request: the kernel's errno and, when it sent one, its extended-ack
/// text (such as "Unknown device type").
public struct RouteNetlinkError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A positive errno value.
  public var code: Int32
  public var message: String?

  public init(code: Int32, message: String? = nil) {
    self.code = code
    self.message = message
  }

  public var description: String {
    let text = strerror(code).map { String(cString: $0) } ?? "Unknown error \(code)"
    guard let message, !message.isEmpty else { return text }
    return "\(text) (\(message))"
  }
}

/// A NETLINK_ROUTE socket. Requests go out in batches (many messages per sendmsg), and
/// every ACK is matched to its request by sequence number, so thousands of routes cost a
/// handful of syscalls.
public final class RouteSocket {
  private let fd: Int32
  private var sequence: UInt32
  private var buffer: [UInt8]
  /// Messages per sendmsg: enough ACKs to fit the receive buffer with room to spare.
  public var batchSize = 256

  public init() throws(RouteNetlinkError) {
    let fd = socket(AF_NETLINK, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), NETLINK_ROUTE)
    guard fd >= 0 else { throw RouteNetlinkError(code: errno) }
    var on: Int32 = 1
    // Extended ACKs carry the kernel's reason; capped ACKs keep error replies short.
    _ = setsockopt(fd, SOL_NETLINK, 11 /* NETLINK_EXT_ACK */, &on, socklen_t(4))
    _ = setsockopt(fd, SOL_NETLINK, 10 /* NETLINK_CAP_ACK */, &on, socklen_t(4))
    var size: Int32 = 4 << 20
    if setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, socklen_t(4)) != 0 {
      _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(4))
    }
    var address = sockaddr_nl()
    address.nl_family = sa_family_t(AF_NETLINK)
    let rc = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_nl>.size))
      }
    }
    guard rc == 0 else {
      let e = errno
      close(fd)
      throw RouteNetlinkError(code: e)
    }
    self.fd = fd
    sequence = UInt32(truncatingIfNeeded: time(nil))
    buffer = [UInt8](repeating: 0, count: 1 << 17)
  }

  deinit { close(fd) }

  /// Sends requests that each want an ACK; returns one result per request, in order
  /// (nil = done). A failure does not stop the requests after it: each stands alone.
  public func perform(_ requests: [RouteRequest]) throws(RouteNetlinkError) -> [RouteNetlinkError?] {
    var results = [RouteNetlinkError?](repeating: nil, count: requests.count)
    var start = 0
    while start < requests.count {
      let end = min(start + max(batchSize, 1), requests.count)
      let first = sequence &+ 1
      var datagram: [UInt8] = []
      for i in start..<end {
        sequence &+= 1
        datagram += requests[i].encoded(sequence: sequence)
      }
      try send(datagram)
      var pending = end - start
      while pending > 0 {
        for message in try receive() {
          guard message.type == 2 /* NLMSG_ERROR */ else { continue }
          let offset = Int(message.sequence &- first)
          guard offset >= 0, offset < end - start else { continue }
          results[start + offset] = Self.error(in: message)
          pending -= 1
        }
      }
      start = end
    }
    return results
  }

  /// Sends one request that wants data back (a get or a dump) and returns the reply
  /// messages. A dump interrupted by a concurrent change is restarted.
  public func query(_ request: RouteRequest) throws(RouteNetlinkError) -> [RouteReply] {
    for _ in 0..<8 {
      sequence &+= 1
      let seq = sequence
      try send(request.encoded(sequence: seq))
      var out: [RouteReply] = []
      var interrupted = false
      receiving: while true {
        for message in try receive() where message.sequence == seq {
          if message.flags.contains(.dumpInterrupted) { interrupted = true }
          switch message.type {
          case 3:  // NLMSG_DONE
            break receiving
          case 2:  // NLMSG_ERROR
            if let error = Self.error(in: message) { throw error }
            break receiving
          default:
            out.append(message)
            if !request.flags.contains(.dump) { break receiving }
          }
        }
      }
      if !interrupted { return out }
    }
    throw RouteNetlinkError(code: EINTR, message: "dump kept being interrupted")
  }

  private func send(_ bytes: [UInt8]) throws(RouteNetlinkError) {
    var address = sockaddr_nl()
    address.nl_family = sa_family_t(AF_NETLINK)
    while true {
      let n = bytes.withUnsafeBytes { raw in
        withUnsafePointer(to: &address) {
          $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            sendto(fd, raw.baseAddress, raw.count, 0, $0, socklen_t(MemoryLayout<sockaddr_nl>.size))
          }
        }
      }
      if n >= 0 { return }
      if errno != EINTR { throw RouteNetlinkError(code: errno) }
    }
  }

  private func receive() throws(RouteNetlinkError) -> [RouteReply] {
    while true {
      let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
      if n > 0 { return RouteReply.split(buffer[0..<n]) }
      if n == 0 { throw RouteNetlinkError(code: EPROTO, message: "netlink socket closed") }
      if errno != EINTR { throw RouteNetlinkError(code: errno) }
    }
  }

  /// nil for an ACK, the error for a failure; reads the extended-ack message if any.
  static func error(in message: RouteReply) -> RouteNetlinkError? {
    let p = message.payload
    guard let raw = rtReadInteger(p, p.startIndex, as: Int32.self) else {
      return RouteNetlinkError(code: EPROTO, message: "short netlink error message")
    }
    guard raw != 0 else { return nil }
    var text: String?
    if message.flags.contains(.ackTLVs) {
      // The echoed request header (capped: 16 bytes, or the whole request) comes first.
      var skip = 20
      if !message.flags.contains(RouteMessageFlags(rawValue: 0x100)),
        let length = rtReadU32(p, p.startIndex + 4)
      {
        skip = 4 + Int((length + 3) & ~3)
      }
      if skip <= p.count {
        for (type, payload) in RouteAttributes(p.dropFirst(skip)) where type == 1 {
          text = RouteAttributes.string(payload)
        }
      }
    }
    return RouteNetlinkError(code: raw == Int32.min ? EPROTO : -raw, message: text)
  }
}
