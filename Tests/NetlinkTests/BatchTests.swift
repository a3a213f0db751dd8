import Glibc
import Netlink
import Testing

/// Batched requests (many messages per datagram, answers matched by sequence number) and
/// the extended-ack text of error replies.
@Suite struct BatchTests {
  let pid: UInt32 = 4242

  /// The messages of one sent datagram: (sequence, type, flags).
  func requests(in datagram: [UInt8]) -> [(seq: UInt32, type: UInt16, flags: UInt16)] {
    var out: [(UInt32, UInt16, UInt16)] = []
    var offset = 0
    while offset + 16 <= datagram.count {
      let length = Int(UInt32(hostEndianBytes: datagram[...], at: offset)!)
      out.append(
        (
          UInt32(hostEndianBytes: datagram[...], at: offset + 8)!,
          UInt16(hostEndianBytes: datagram[...], at: offset + 4)!,
          UInt16(hostEndianBytes: datagram[...], at: offset + 6)!
        ))
      offset += (length + 3) & ~3
    }
    return out
  }

  /// NLMSG_ERROR echoing a 16-byte header (NLM_F_CAPPED), with `text` as NLMSGERR_ATTR_MSG.
  func ack(_ seq: UInt32, error: Int32 = 0, text: String? = nil, pid: UInt32? = nil) -> [UInt8] {
    var payload = error.hostEndianBytes + [UInt8](repeating: 0, count: 16)
    var flags: UInt16 = 0x100
    if let text {
      flags |= 0x200
      payload += attr(1, Array(text.utf8) + [0])
    }
    return replyMessage(type: 2, flags: flags, seq: seq, pid: pid ?? self.pid, payload: payload)
  }

  func message(_ type: UInt16) -> NetlinkMessage {
    NetlinkMessage(type: type, flags: [.request], payload: [0, 0, 0, 0])
  }

  @Test func manyMessagesPerDatagramEachAnswerMatched() throws {
    var datagrams: [[(seq: UInt32, type: UInt16, flags: UInt16)]] = []
    let t = ScriptedTransport(portID: pid) { [self] sent in
      let rs = requests(in: sent)
      datagrams.append(rs)
      // Type 33 requests are refused; the others answered only when they ask for an ACK.
      // Answers packed two per datagram.
      let answers = rs.compactMap { r -> [UInt8]? in
        if r.type == 33 { return ack(r.seq, error: -ENOENT, text: "no such rule") }
        return r.flags & 0x04 != 0 ? ack(r.seq) : nil
      }
      return stride(from: 0, to: answers.count, by: 2).map {
        answers[$0..<min($0 + 2, answers.count)].flatMap { $0 }
      }
    }
    let c = NetlinkConnection(transport: t, firstSequence: 500)
    let messages = (0..<600).map { message($0 % 100 == 50 ? 33 : 32) }
    let results = try c.batch(messages, perDatagram: 256)
    #expect(datagrams.map(\.count) == [256, 256, 88])
    #expect(datagrams.joined().map(\.seq) == (500..<1100).map { UInt32($0) })
    // NLM_F_ACK on the last message of each datagram only.
    #expect(
      datagrams.map { $0.map { $0.flags & 0x04 != 0 } }
        == [256, 256, 88].map { [Bool](repeating: false, count: $0 - 1) + [true] })
    for (i, r) in results.enumerated() {
      if i % 100 == 50 {
        #expect(r.error == KernelError(code: ENOENT, message: "no such rule"))
      } else {
        #expect(r.error == nil)
      }
    }
    #expect(t.queue.isEmpty)
    // The connection goes on numbering where the batch stopped.
    try c.request(message(32)) { _ in }
    #expect(requests(in: t.sent.last!).map(\.seq) == [1100])
  }

  @Test func dataRepliesGoToTheIndexOfTheirRequest() throws {
    let t = ScriptedTransport(portID: pid) { [self] sent in
      requests(in: sent).flatMap { r in
        [
          replyMessage(
            type: 30, seq: r.seq, pid: pid, payload: [0, 1, 0, 0] + attr(3, le32(r.seq * 10)))
        ]
          + (r.flags & 0x04 != 0 ? [ack(r.seq)] : [])
      }
    }
    var seen: [Int: UInt32] = [:]
    let results = try NetlinkConnection(transport: t, firstSequence: 1).batch(
      (0..<5).map { _ in message(30) }, perDatagram: 2
    ) { (index, reply) throws(NetlinkError) in
      try reply.withAttributes(after: 4, as: TestSet.self) { (r) throws(NetlinkError) in
        while let a = try r.next() { seen[index] = try a.value(.mark) }
      }
    }
    #expect(results == [RequestResult](repeating: RequestResult(), count: 5))
    #expect(seen == [0: 10, 1: 20, 2: 30, 3: 40, 4: 50])
    #expect(t.sent.count == 3)
  }

  @Test func answersThatAreNotOursBreakTheBatch() {
    // Outside the batch's numbers, twice for one request, another port.
    let cases: [([UInt32]) -> [UInt8]] = [
      { [self] s in ack(s[0]) + ack(s[1] &+ 5) },
      { [self] s in ack(s[0]) + ack(s[0]) },
      { [self] s in ack(s[0]) + ack(s[1], pid: pid + 1) },
    ]
    for make in cases {
      let t = ScriptedTransport(portID: pid) { [self] sent in [make(requests(in: sent).map(\.seq))]
      }
      let c = NetlinkConnection(transport: t)
      #expect(throws: NetlinkError.self) { try c.batch([message(32), message(32)]) }
      // Nothing more is read from a connection left mid-answer.
      #expect(throws: NetlinkError.unexpectedReply("connection left mid-reply by an earlier error"))
      {
        try c.batch([message(32)])
      }
    }
  }

  @Test func lateAnswersToAnEarlierBatchAreSkipped() throws {
    let t = ScriptedTransport(portID: pid) { [self] sent in
      let rs = requests(in: sent)
      return [ack(rs[0].seq &- 3) + ack(rs[0].seq)] + rs.dropFirst().map { ack($0.seq) }
    }
    let results = try NetlinkConnection(transport: t, firstSequence: 10).batch([
      message(32), message(32),
    ])
    #expect(results.count == 2 && results.allSatisfy { $0.error == nil })
  }

  @Test func emptyBatchSendsNothing() throws {
    let t = ScriptedTransport(portID: pid) { _ in [] }
    #expect(try NetlinkConnection(transport: t).batch([]).isEmpty)
    #expect(t.sent.isEmpty)
  }

  // MARK: extended ACK

  func errorReply(flags: UInt16, payload: [UInt8], type: UInt16 = 2) throws -> NetlinkReply {
    try #require(
      try NetlinkReply.split(
        replyMessage(type: type, flags: flags, seq: 1, pid: pid, payload: payload)
      ).first)
  }

  @Test func extendedAckAfterACappedEcho() throws {
    let echoed = replyMessage(type: 16, flags: 0x605, seq: 1, pid: 0, payload: [])
    let reply = try errorReply(
      flags: 0x300,
      payload: Int32(-EOPNOTSUPP).hostEndianBytes + echoed + attr(2, le32(32))
        + attr(1, Array("Unknown device type".utf8) + [0]))
    #expect(
      try reply.kernelError() == KernelError(code: EOPNOTSUPP, message: "Unknown device type"))
    #expect(try reply.kernelError()?.description == "Operation not supported (Unknown device type)")
  }

  @Test func extendedAckAfterTheWholeRequest() throws {
    // Not capped: the echoed request (21 bytes, padded to 24) comes before the attributes.
    var echoed = replyMessage(type: 16, flags: 5, seq: 1, pid: 0, payload: [1, 2, 3, 4, 5])
    echoed.replaceSubrange(0..<4, with: le32(21))
    let reply = try errorReply(
      flags: 0x200,
      payload: Int32(-EEXIST).hostEndianBytes + echoed + attr(1, Array("exists".utf8) + [0]))
    #expect(try reply.kernelError() == KernelError(code: EEXIST, message: "exists"))
  }

  @Test func extendedAckOnDone() throws {
    let reply = try errorReply(
      flags: 0x202, payload: Int32(-EINVAL).hostEndianBytes + attr(1, Array("bad dump".utf8) + [0]),
      type: 3)
    #expect(try reply.kernelError() == KernelError(code: EINVAL, message: "bad dump"))
  }

  @Test func badExtendedAckLosesTheTextNotTheError() throws {
    let echoed = [UInt8](repeating: 0, count: 16)
    let payloads: [(UInt16, [UInt8])] = [
      (0x300, Int32(-EPERM).hostEndianBytes + echoed + [200, 0, 1, 0, 65]),  // attribute overruns
      (0x200, Int32(-EPERM).hostEndianBytes + le32(4000) + [UInt8](repeating: 0, count: 12)),  // echo overruns
      (0x100, Int32(-EPERM).hostEndianBytes + echoed + attr(1, [65, 0])),  // no ACK_TLVS flag
      (0x300, Int32(-EPERM).hostEndianBytes + [0, 0]),  // echo cut short
    ]
    for (flags, payload) in payloads {
      #expect(
        try errorReply(flags: flags, payload: payload).kernelError() == KernelError(code: EPERM))
    }
    // An ACK is success whatever follows it.
    #expect(
      try errorReply(flags: 0x300, payload: Int32(0).hostEndianBytes + echoed + attr(1, [65, 0]))
        .kernelError() == nil)
  }

  @Test func mutatedExtendedAcksNeverTrap() {
    let valid = replyMessage(
      type: 2, flags: 0x200, seq: 1, pid: pid,
      payload: Int32(-EEXIST).hostEndianBytes
        + replyMessage(type: 16, seq: 1, pid: 0, payload: [1, 2, 3, 4])
        + attr(1, Array("File exists".utf8) + [0]) + attr(2, le32(20)))
    var rng = SplitMix(state: 11)
    var parsed = 0
    for _ in 0..<5000 {
      guard let replies = try? NetlinkReply.split(mutate(valid, using: &rng)) else { continue }
      for r in replies {
        _ = r.extendedAckMessage()
        if (try? r.kernelError()) != nil { parsed += 1 }
      }
    }
    #expect(parsed > 100)
  }

  // MARK: wiping

  @Test func messageWipeZeroesEveryByte() {
    var m = GenericNetlink.familyRequest(name: "wireguard")
    let count = m.bytes.count
    m.wipe()
    #expect(m.bytes == [UInt8](repeating: 0, count: count))
  }

  // MARK: the real kernel

  @Test func realRouteSocketWithExtendedAcks() throws {
    let c = try NetlinkConnection(
      protocol: .route,
      options: NetlinkSocketOptions(
        receiveBufferSize: 1 << 17, extendedAck: true, kernelReceiveBuffer: 4 << 20))
    // Two link lookups in one datagram: lo by index, then an index that cannot exist.
    var names: [Int: String] = [:]
    let results = try c.batch(
      [1, 0x7fff_fff0].map { (index: Int32) in
        NetlinkMessage(
          type: 18, flags: [.request], payload: InterfaceInfoHeader(index: index).bytes)
      }
    ) { (i, reply) throws(NetlinkError) in
      if let link = try LinkDump.link(in: reply) { names[i] = link.name }
    }
    #expect(names == [0: "lo"])
    #expect(results[0].error == nil && results[1].error?.code == ENODEV)
  }
}
