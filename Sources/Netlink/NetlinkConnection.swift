// Request/reply handling over a transport: numbering requests, checking that every reply
// answers a request of ours on this socket, ACKs, errors and dump ends. Requests go out one
// at a time or in batches (many messages per datagram, every answer matched by sequence).
import Glibc

/// A netlink conversation: requests sent in order, each answered before the connection
/// moves on. Sent and received bytes are wiped once used.
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
  public convenience init(
    protocol proto: NetlinkProtocol, options: NetlinkSocketOptions = NetlinkSocketOptions()
  ) throws(NetlinkError) {
    let socket = try NetlinkSocket(protocol: proto, options: options)
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
    let (results, handlerError) = try exchange([message], perDatagram: 1) {
      (_, reply) throws(NetlinkError) in try onReply(reply)
    }
    let result = results.first ?? RequestResult()
    if let error = result.error { throw .kernel(errno: error.code) }
    if let handlerError { throw handlerError }
    if result.interrupted { throw .dumpInterrupted }
  }

  /// Sends `messages`, up to `perDatagram` in one datagram, and reads until every one is
  /// answered; returns one result per message, in order. A refused request does not stop
  /// the others: the kernel handles each on its own. Data messages go to `onReply` with the
  /// index of the request they answer.
  ///
  /// Only the last message of a datagram carries NLM_F_ACK. The kernel handles a
  /// datagram's messages in order, inside the send, and answers every failure whether or
  /// not it asked for an ACK; so once the last one is answered, each earlier one without
  /// an error of its own (matched by sequence number) succeeded. Thousands of requests
  /// then cost a send and a receive or two per datagram, not a receive each.
  ///
  /// Meant for requests answered by an ACK or an error (NEW/DEL), or by one data message
  /// (a GET of one object). A dump answers in many datagrams read later: send it alone.
  ///
  /// Throws when the transport fails or a reply is not ours (sequence number or port id)
  /// or malformed, which leaves the connection unusable; and, once every request was
  /// answered, the first error `onReply` threw.
  public func batch(
    _ messages: [NetlinkMessage], perDatagram: Int = 256,
    onReply: (_ index: Int, _ reply: NetlinkReply) throws(NetlinkError) -> Void = { _, _ in }
  ) throws(NetlinkError) -> [RequestResult] {
    let (results, handlerError) = try exchange(messages, perDatagram: perDatagram, onReply: onReply)
    if let handlerError { throw handlerError }
    return results
  }

  /// The batch loop: results, and the first error `onReply` threw (handed to it no more).
  private func exchange(
    _ messages: [NetlinkMessage], perDatagram: Int,
    onReply: (Int, NetlinkReply) throws(NetlinkError) -> Void
  ) throws(NetlinkError) -> ([RequestResult], NetlinkError?) {
    guard !broken else { throw .unexpectedReply("connection left mid-reply by an earlier error") }
    var results = [RequestResult](repeating: RequestResult(), count: messages.count)
    var handlerError: NetlinkError?
    var start = 0
    while start < messages.count {
      let count = min(max(perDatagram, 1), messages.count - start)
      let first = sequence &+ 1
      var datagram = stamped(messages[start..<(start + count)])
      defer { wipeBytes(&datagram) }
      try transport.send(datagram)
      broken = true
      var answered = [Bool](repeating: false, count: count)
      while !answered[count - 1] {
        var incoming = try transport.receive()
        defer { wipeBytes(&incoming) }
        try read(
          incoming, first: first, count: count, answered: &answered,
          results: &results[start..<(start + count)]
        ) { (offset, reply) throws(NetlinkError) in
          guard handlerError == nil else { return }
          do throws(NetlinkError) { try onReply(start + offset, reply) } catch {
            handlerError = error
          }
        }
      }
      broken = false
      start += count
    }
    return (results, handlerError)
  }

  /// One datagram of requests: each numbered in turn, our port left 0 for the kernel to
  /// fill, NLM_F_ACK on the last one only.
  private func stamped(_ messages: ArraySlice<NetlinkMessage>) -> [UInt8] {
    var total = 0
    for m in messages { total += AttributeHeader.align(m.bytes.count) }
    var datagram: [UInt8] = []
    datagram.reserveCapacity(total)
    for (i, m) in zip(messages.indices, messages) {
      sequence &+= 1
      let at = datagram.count
      datagram += m.bytes
      while datagram.count % 4 != 0 { datagram.append(0) }
      guard m.bytes.count >= MessageHeader.size else { continue }
      let ack = i == messages.endIndex - 1
      datagram.withUnsafeMutableBytes { raw in
        var flags = MessageFlags(
          rawValue: raw.loadUnaligned(fromByteOffset: at + 6, as: UInt16.self))
        if ack { flags.insert(.ack) } else { flags.remove(.ack) }
        raw.storeBytes(of: flags.rawValue, toByteOffset: at + 6, as: UInt16.self)
        raw.storeBytes(of: sequence, toByteOffset: at + 8, as: UInt32.self)
        raw.storeBytes(of: UInt32(0), toByteOffset: at + 12, as: UInt32.self)
      }
    }
    return datagram
  }

  /// Checks and dispatches the messages of one received datagram; stops at the answer to
  /// the last request. Kept apart so the replies (slices of `datagram`) are gone when the
  /// caller wipes it.
  private func read(
    _ datagram: [UInt8], first: UInt32, count: Int, answered: inout [Bool],
    results: inout ArraySlice<RequestResult>,
    deliver: (Int, NetlinkReply) throws(NetlinkError) -> Void
  ) throws(NetlinkError) {
    for reply in try NetlinkReply.split(datagram) {
      let offset = Int(reply.sequence &- first)
      guard offset < count else {
        // A late part of an earlier answer on this socket is dropped; anything else is wrong.
        let age = first &- reply.sequence
        if age > 0 && age < 1 << 16 && reply.portID == transport.portID { continue }
        let expected =
          count == 1 ? "\(first)" : "\(first)...\(first &+ UInt32(truncatingIfNeeded: count - 1))"
        throw .unexpectedReply("sequence \(reply.sequence), expected \(expected)")
      }
      guard reply.portID == transport.portID else {
        throw .unexpectedReply("port id \(reply.portID), expected \(transport.portID)")
      }
      guard !answered[offset] else {
        throw .unexpectedReply("sequence \(reply.sequence) answered twice")
      }
      let index = results.startIndex + offset
      if reply.flags.contains(.dumpInterrupted) { results[index].interrupted = true }
      switch reply.type {
      case MessageHeader.noop:
        continue
      case MessageHeader.error, MessageHeader.done:
        results[index].error = try reply.kernelError()
        answered[offset] = true
        if offset == count - 1 { return }
      case MessageHeader.overrun:
        throw .malformed("NLMSG_OVERRUN")
      default:
        try deliver(offset, reply)
      }
    }
  }
}
