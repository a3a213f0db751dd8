// Request/reply handling over a transport: numbering requests, checking that every reply
// answers this request on this socket, ACKs, errors and dump ends.
import Glibc

/// A netlink conversation: one request at a time, each answered before the next.
public final class NetlinkConnection {
  public let transport: any NetlinkTransport
  private var sequence: UInt32
  /// Set when a reply could not be read to its end; later requests would see its leftovers.
  private var broken = false

  public init(transport: any NetlinkTransport, firstSequence: UInt32 = 1) {
    self.transport = transport
    sequence = firstSequence &- 1
  }

  /// Opens a socket of `proto` (libmnl) and talks over it.
  public convenience init(protocol proto: NetlinkProtocol) throws(NetlinkError) {
    let socket = try NetlinkSocket(protocol: proto)
    // Distinct starting numbers per process make a stray old reply easy to tell apart.
    self.init(transport: socket, firstSequence: UInt32(truncatingIfNeeded: time(nil)))
  }

  /// Sends `message` (NLM_F_ACK is added) and reads until it is answered: its ACK, its
  /// NLMSG_ERROR, or for a dump its NLMSG_DONE. Data messages go to `onReply`.
  ///
  /// Throws `.kernel(errno:)` for an error reply, `.dumpInterrupted` after the whole dump
  /// was read when any part had NLM_F_DUMP_INTR, and `.unexpectedReply` when a reply has
  /// another sequence number or port id. An error thrown by `onReply` is rethrown after
  /// the rest of the reply was read, so the socket stays usable.
  public func request(
    _ message: NetlinkMessage, onReply: (NetlinkReply) throws(NetlinkError) -> Void = { _ in }
  ) throws(NetlinkError) {
    guard !broken else { throw .unexpectedReply("connection left mid-reply by an earlier error") }
    sequence &+= 1
    let seq = sequence
    var outgoing = message
    outgoing.stamp(sequence: seq, portID: 0)
    try transport.send(addingAck(outgoing).bytes)
    broken = true
    var interrupted = false
    var handlerError: NetlinkError?
    while true {
      let datagram = try transport.receive()
      for reply in try NetlinkReply.split(datagram) {
        guard reply.sequence == seq else {
          // A late part of an earlier answer on this socket is dropped; anything else is wrong.
          let age = seq &- reply.sequence
          if age > 0 && age < 1 << 16 && reply.portID == transport.portID { continue }
          throw .unexpectedReply("sequence \(reply.sequence), expected \(seq)")
        }
        guard reply.portID == transport.portID else {
          throw .unexpectedReply("port id \(reply.portID), expected \(transport.portID)")
        }
        if reply.flags.contains(.dumpInterrupted) { interrupted = true }
        switch reply.type {
        case MessageHeader.noop:
          continue
        case MessageHeader.error, MessageHeader.done:
          broken = false
          let code = try reply.errorCode()
          if code != 0 { throw .kernel(errno: code) }
          if let handlerError { throw handlerError }
          if interrupted { throw .dumpInterrupted }
          return
        case MessageHeader.overrun:
          throw .malformed("NLMSG_OVERRUN")
        default:
          if handlerError == nil {
            do throws(NetlinkError) { try onReply(reply) } catch { handlerError = error }
          }
        }
      }
    }
  }

  private func addingAck(_ message: NetlinkMessage) -> NetlinkMessage {
    var bytes = message.bytes
    let flags = message.flags.union(.ack).rawValue
    guard bytes.count >= MessageHeader.size else { return message }
    withUnsafeBytes(of: flags) { raw in
      bytes[6] = raw[0]
      bytes[7] = raw[1]
    }
    return NetlinkMessage(bytes: bytes)
  }
}
