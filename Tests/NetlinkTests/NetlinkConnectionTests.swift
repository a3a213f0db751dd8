import Glibc
import Netlink
import Testing

@Suite struct NetlinkConnectionTests {
  let pid: UInt32 = 4242

  func ack(_ seq: UInt32, error: Int32 = 0) -> [UInt8] {
    // NLMSG_ERROR: int error, then the request's nlmsghdr (here a dummy one).
    replyMessage(
      type: 2, seq: seq, pid: pid,
      payload: Int32(error).hostEndianBytes + [UInt8](repeating: 0, count: 16))
  }

  func done(_ seq: UInt32, error: Int32 = 0, flags: UInt16 = 2) -> [UInt8] {
    replyMessage(type: 3, flags: flags, seq: seq, pid: pid, payload: Int32(error).hostEndianBytes)
  }

  func data(_ seq: UInt32, _ value: UInt32, flags: UInt16 = 2) -> [UInt8] {
    replyMessage(
      type: 30, flags: flags, seq: seq, pid: pid, payload: [0, 1, 0, 0] + attr(3, le32(value)))
  }

  func values(_ connection: NetlinkConnection) throws -> [UInt32] {
    var out: [UInt32] = []
    try connection.request(
      NetlinkMessage(type: 30, flags: [.request, .dump], payload: [0, 1, 0, 0])
    ) {
      (reply) throws(NetlinkError) in
      try reply.withAttributes(after: 4, as: TestSet.self) { (r) throws(NetlinkError) in
        while let a = try r.next() { out.append(try a.value(.mark)) }
      }
    }
    return out
  }

  @Test func requestAddsAckAndStampsSequence() throws {
    let t = ScriptedTransport(portID: pid) { [self] req in [ack(sequence(of: req))] }
    let c = NetlinkConnection(transport: t, firstSequence: 77)
    try c.request(NetlinkMessage(type: 30, flags: [.request], payload: [1, 1, 0, 0]))
    let sent = try #require(t.sent.first)
    #expect(sequence(of: sent) == 77)
    #expect(UInt16(hostEndianBytes: sent[...], at: 6) == 0x05)  // REQUEST|ACK
  }

  @Test func errorReplyBecomesTypedErrorWithErrno() {
    let t = ScriptedTransport(portID: pid) { [self] req in [ack(sequence(of: req), error: -ENODEV)]
    }
    let c = NetlinkConnection(transport: t)
    #expect(throws: NetlinkError.kernel(errno: ENODEV)) {
      try c.request(NetlinkMessage(type: 30, flags: [.request], payload: []))
    }
  }

  @Test func doneWithErrorPayloadBecomesTypedError() {
    let t = ScriptedTransport(portID: pid) { [self] req in
      [data(sequence(of: req), 1) + done(sequence(of: req), error: -EOPNOTSUPP)]
    }
    #expect(throws: NetlinkError.kernel(errno: EOPNOTSUPP)) {
      try values(NetlinkConnection(transport: t))
    }
  }

  @Test func dumpSpanningManyReceivesIsReadToItsEnd() throws {
    let t = ScriptedTransport(portID: pid) { [self] req in
      let s = sequence(of: req)
      return [data(s, 1) + data(s, 2), data(s, 3), data(s, 4) + data(s, 5) + done(s)]
    }
    #expect(try values(NetlinkConnection(transport: t)) == [1, 2, 3, 4, 5])
  }

  @Test func interruptedDumpIsReportedAfterItWasDrained() throws {
    var round = 0
    let t = ScriptedTransport(portID: pid) { [self] req in
      let s = sequence(of: req)
      round += 1
      let intr: UInt16 = round == 1 ? 0x12 : 0x02  // MULTI | DUMP_INTR the first time
      return [data(s, 1), data(s, 2, flags: intr), done(s, flags: intr)]
    }
    let c = NetlinkConnection(transport: t)
    #expect(throws: NetlinkError.dumpInterrupted) { try values(c) }
    // The socket holds nothing of the old dump: a retry works.
    #expect(try values(c) == [1, 2])
  }

  @Test func replyWithAnotherSequenceNumberIsRejected() {
    let t = ScriptedTransport(portID: pid) { [self] req in
      [data(sequence(of: req) &+ 5, 1) + done(sequence(of: req))]
    }
    #expect(throws: NetlinkError.self) { try values(NetlinkConnection(transport: t)) }
  }

  @Test func replyForAnotherPortIsRejected() {
    let t = ScriptedTransport(portID: pid + 1) { [self] req in
      [data(sequence(of: req), 1) + done(sequence(of: req))]
    }
    #expect(throws: NetlinkError.self) { try values(NetlinkConnection(transport: t)) }
  }

  @Test func lateRepliesToAnEarlierRequestAreSkipped() throws {
    let t = ScriptedTransport(portID: pid) { [self] req in
      let s = sequence(of: req)
      return [ack(s &- 1), data(s, 7) + done(s)]
    }
    #expect(try values(NetlinkConnection(transport: t, firstSequence: 10)) == [7])
  }

  @Test func handlerErrorIsRethrownAfterTheReplyEnds() throws {
    let t = ScriptedTransport(portID: pid) { [self] req in
      let s = sequence(of: req)
      return [data(s, 1), data(s, 2), done(s)]
    }
    let c = NetlinkConnection(transport: t)
    #expect(throws: NetlinkError.malformed("no")) {
      try c.request(NetlinkMessage(type: 30, flags: [.request, .dump], payload: [])) {
        (_) throws(NetlinkError) in
        throw .malformed("no")
      }
    }
    #expect(t.queue.isEmpty)
    #expect(try values(c) == [1, 2])
  }

  @Test func truncatedDatagramThrows() {
    let t = ScriptedTransport(portID: pid) { [self] req in
      [Array(data(sequence(of: req), 1).dropLast(3))]
    }
    #expect(throws: NetlinkError.self) { try values(NetlinkConnection(transport: t)) }
  }

  @Test func familyResolution() throws {
    let t = ScriptedTransport(portID: pid) { [self] req in
      let s = sequence(of: req)
      let reply = replyMessage(
        type: 16, seq: s, pid: pid,
        payload: [1, 2, 0, 0] + attr(2, Array("wireguard".utf8) + [0]) + attr(1, le16(35))
          + attr(3, le32(1)))
      return [reply, ack(s)]
    }
    #expect(try GenericNetlink.resolve("wireguard", on: NetlinkConnection(transport: t)) == 35)
  }

  @Test func unknownFamilyIsProtocolNotSupported() {
    let t = ScriptedTransport(portID: pid) { [self] req in [ack(sequence(of: req), error: -ENOENT)]
    }
    #expect(throws: NetlinkError.kernel(errno: EPROTONOSUPPORT)) {
      try GenericNetlink.resolve("wireguard", on: NetlinkConnection(transport: t))
    }
  }

  @Test func linkDumpReadsNamesAndKinds() throws {
    func link(_ s: UInt32, index: Int32, name: String, kind: String?) -> [UInt8] {
      var payload =
        InterfaceInfoHeader(index: index).bytes + attr(3, Array(name.utf8) + [0])
        + attr(4, le32(1420))
      if let kind {
        payload +=
          le16(UInt16(4 + attr(1, Array(kind.utf8) + [0]).count)) + le16(18 | 0x8000)
          + attr(1, Array(kind.utf8) + [0])
      }
      return replyMessage(type: 16, flags: 2, seq: s, pid: pid, payload: payload)
    }
    let t = ScriptedTransport(portID: pid) { [self] req in
      let s = sequence(of: req)
      return [
        link(s, index: 1, name: "lo", kind: nil)
          + link(s, index: 5, name: "wg0", kind: "wireguard"),
        link(s, index: 6, name: "d0", kind: "dummy") + done(s),
      ]
    }
    let links = try LinkDump.links(on: NetlinkConnection(transport: t))
    #expect(
      links == [
        LinkSummary(index: 1, name: "lo"), LinkSummary(index: 5, name: "wg0", kind: "wireguard"),
        LinkSummary(index: 6, name: "d0", kind: "dummy"),
      ])
  }

  @Test func mutatedRepliesNeverTrap() {
    let s: UInt32 = 5
    let valid = data(s, 1) + data(s, 2) + done(s)
    var rng = SplitMix(state: 7)
    var errors = 0
    for _ in 0..<5000 {
      let bad = mutate(valid, using: &rng)
      var sentOnce = false
      let t = ScriptedTransport(portID: pid) { [self] _ in
        defer { sentOnce = true }
        return sentOnce ? [] : [bad, done(s)]
      }
      do { _ = try values(NetlinkConnection(transport: t, firstSequence: s)) } catch { errors += 1 }
    }
    #expect(errors > 500)
  }

  // The real kernel (no privileges needed for these two).
  @Test func realLinkDumpHasLoopback() throws {
    let links = try LinkDump.links(on: NetlinkConnection(protocol: .route))
    #expect(links.contains { $0.name == "lo" && $0.index == 1 })
  }

  @Test func realControllerResolvesItself() throws {
    #expect(try GenericNetlink.resolve("nlctrl", on: NetlinkConnection(protocol: .generic)) == 16)
    #expect(throws: NetlinkError.kernel(errno: EPROTONOSUPPORT)) {
      try GenericNetlink.resolve("swgnosuchfam", on: NetlinkConnection(protocol: .generic))
    }
  }
}
