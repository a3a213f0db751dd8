// swg-quick's rtnetlink conversation: a NetlinkConnection over a NETLINK_ROUTE socket set
// up for batches (extended ACKs, a large kernel receive queue), with errors as RouteNetlinkError.
import Glibc

/// A failed rtnetlink request: the kernel's errno and, when it sent one, its extended-ack
/// text (such as "Unknown device type"). Local failures (the socket, a reply that is not
/// ours) carry their errno and a short reason.
public typealias RouteNetlinkError = KernelError

extension KernelError {
  /// A failure of the conversation itself, in the same shape as the kernel's refusals.
  public init(_ error: NetlinkError) {
    switch error {
    case .kernel(let code): self.init(code: code)
    case .system(_, let code): self.init(code: code)
    case .dumpInterrupted: self.init(code: EINTR, message: "dump kept being interrupted")
    case .malformed(let why), .unexpectedReply(let why): self.init(code: error.errno, message: why)
    case .noRoom: self.init(code: EMSGSIZE)
    }
  }
}

/// A NETLINK_ROUTE conversation. Requests go out in batches (many messages per sendmsg),
/// and every ACK is matched to its request by sequence number, so thousands of routes cost
/// a handful of syscalls.
public final class RouteSocket {
  public let connection: NetlinkConnection
  /// Messages per sendmsg: their ACKs must fit the kernel receive queue with room to spare.
  public var batchSize = 256

  /// Extended ACKs carry the kernel's reason; capped ACKs keep error replies short; 4 MiB of
  /// receive queue holds a whole batch of answers.
  public static let socketOptions = NetlinkSocketOptions(
    receiveBufferSize: 1 << 17, extendedAck: true, kernelReceiveBuffer: 4 << 20)

  public init() throws(RouteNetlinkError) {
    do {
      connection = try NetlinkConnection(protocol: .route, options: Self.socketOptions)
    } catch {
      throw RouteNetlinkError(error)
    }
  }

  /// Talks over `connection` (tests pass a scripted transport).
  public init(connection: NetlinkConnection) { self.connection = connection }

  /// Sends requests that each want an ACK; returns one result per request, in order
  /// (nil = done). A failure does not stop the requests after it: each stands alone.
  public func perform(_ requests: [RouteRequest]) throws(RouteNetlinkError) -> [RouteNetlinkError?]
  {
    do {
      return try connection.batch(requests.map(\.message), perDatagram: batchSize).map(\.error)
    } catch {
      throw RouteNetlinkError(error)
    }
  }

  /// Sends one request that wants data back (a get or a dump) and returns the reply
  /// messages, each holding its own copy of the bytes. A dump interrupted by a concurrent
  /// change is restarted.
  public func query(_ request: RouteRequest) throws(RouteNetlinkError) -> [NetlinkReply] {
    for _ in 0..<8 {
      var replies: [NetlinkReply] = []
      let result: RequestResult
      do {
        result =
          try connection.batch([request.message], perDatagram: 1) {
            (_, reply) throws(NetlinkError) in
            var copy = reply
            // The connection wipes the datagram once read: keep bytes of our own.
            copy.payload = Array(reply.payload)[...]
            replies.append(copy)
          }.first ?? RequestResult()
      } catch {
        throw RouteNetlinkError(error)
      }
      if let error = result.error { throw error }
      if !result.interrupted { return replies }
    }
    throw RouteNetlinkError(.dumpInterrupted)
  }
}
