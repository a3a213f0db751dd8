import Glibc
import Testing

@testable import Netlink

/// Golden bytes for the rtnetlink requests swg-quick sends, built from the kernel headers'
/// layouts (x86-64, little-endian), one line per header or attribute; reply decoding; and
/// RouteSocket's batching and error texts over a scripted kernel.
@Suite struct RouteCodecTests {
  private func hex(_ bytes: [UInt8]) -> String {
    bytes.map { b in
      let s = String(b, radix: 16)
      return s.count == 1 ? "0" + s : s
    }.joined()
  }

  /// The request as sent with sequence number `sequence`.
  private func encoded(_ r: RouteRequest, sequence: UInt32) -> [UInt8] {
    var m = r.message
    m.stamp(sequence: sequence, portID: 0)
    return m.bytes
  }

  /// The family header and attributes.
  private func body(_ r: RouteRequest) -> [UInt8] { Array(r.message.payload) }

  @Test func routeAddMainTable() {
    let r = RouteRequest.addRoute(
      family: RouteFamily.inet, destination: [10, 0, 0, 0], prefixLength: 24, outputInterface: 5)
    let expected: String = [
      "2c000000", "1800", "0506", "01000000", "00000000",  // nlmsghdr: 44 bytes, RTM_NEWROUTE, REQUEST|ACK|EXCL|CREATE, seq 1
      "02180000fe03fd01", "00000000",  // rtmsg: AF_INET /24, table main, proto boot, scope link, unicast
      "08000100", "0a000000",  // RTA_DST 10.0.0.0
      "08000400", "05000000",  // RTA_OIF 5
    ].joined()
    #expect(hex(encoded(r, sequence: 1)) == expected)
  }

  @Test func routeAddHighTableUsesRTATable() {
    let r = RouteRequest.addRoute(
      family: RouteFamily.inet6, destination: [UInt8](repeating: 0, count: 16), prefixLength: 0,
      outputInterface: 7, table: 51820)
    let expected: String = [
      "0a000000", "00", "03fd01", "00000000",  // rtmsg: AF_INET6 /0, table in RTA_TABLE
      "08000f00", "6cca0000",  // RTA_TABLE 51820
      "14000100", String(repeating: "00", count: 16),  // RTA_DST ::
      "08000400", "07000000",  // RTA_OIF 7
    ].joined()
    #expect(hex(body(r)) == expected)
  }

  @Test func routeDeleteMatchesAnyScope() {
    let r = RouteRequest.deleteRoute(
      family: RouteFamily.inet, destination: [10, 0, 0, 0], prefixLength: 8, outputInterface: 5)
    #expect(r.message.type == 25 && r.message.flags == [.request, .ack])
    #expect(hex(body(r)).hasPrefix("02080000fe03ff01"))  // scope RT_SCOPE_NOWHERE
  }

  @Test func ruleAddNotFwmark() {
    let r = RouteRequest.addRule(
      family: RouteFamily.inet, table: 51820, fwmark: 51820, invert: true)
    let expected: String = [
      "2c000000", "2000", "0506", "02000000", "00000000",  // RTM_NEWRULE, 44 bytes, seq 2
      "0200000000000001", "02000000",  // fib_rule_hdr: AF_INET, table in attr, FR_ACT_TO_TBL, FIB_RULE_INVERT
      "08000a00", "6cca0000",  // FRA_FWMARK 51820
      "08000f00", "6cca0000",  // FRA_TABLE 51820
    ].joined()
    #expect(hex(encoded(r, sequence: 2)) == expected)
  }

  @Test func ruleSuppressPrefixLength() {
    let r = RouteRequest.addRule(
      family: RouteFamily.inet6, table: RouteTableID.main, suppressPrefixLength: 0)
    let expected: String = [
      "0a000000fe000001", "00000000",  // fib_rule_hdr: AF_INET6, table main, FR_ACT_TO_TBL
      "08000e00", "00000000",  // FRA_SUPPRESS_PREFIXLEN 0
      "08000f00", "fe000000",  // FRA_TABLE 254
    ].joined()
    #expect(hex(body(r)) == expected)
  }

  @Test func ruleDeleteByPriority() {
    let r = RouteRequest.deleteRule(
      family: RouteFamily.inet, table: 51820, fwmark: 51820, invert: true, priority: 32764)
    let expected: String = [
      "0200000000000000", "02000000",  // fib_rule_hdr: no action on delete
      "08000600", "fc7f0000",  // FRA_PRIORITY 32764
      "08000a00", "6cca0000",  // FRA_FWMARK
      "08000f00", "6cca0000",  // FRA_TABLE
    ].joined()
    #expect(hex(body(r)) == expected)
  }

  @Test func linkAddWireGuard() {
    let r = RouteRequest.addLink(name: "wg0", kind: "wireguard")
    let expected: String = [
      "3c000000", "1000", "0506", "03000000", "00000000",  // RTM_NEWLINK, 60 bytes
      "00000000", "00000000", "00000000", "00000000",  // ifinfomsg
      "08000300", "77673000",  // IFLA_IFNAME "wg0"
      "14001280", "0e000100", "776972656775617264000000",  // IFLA_LINKINFO { IFLA_INFO_KIND "wireguard" }
    ].joined()
    #expect(hex(encoded(r, sequence: 3)) == expected)
  }

  @Test func linkSetMTUUp() {
    let r = RouteRequest.setLink(index: 9, mtu: 1420, up: true)
    let expected: String = [
      "00000000", "09000000", "01000000", "01000000",  // ifinfomsg: index 9, IFF_UP in flags and change
      "08000400", "8c050000",  // IFLA_MTU 1420
    ].joined()
    #expect(hex(body(r)) == expected)
  }

  @Test func addressAdd() {
    let r = RouteRequest.addAddress(
      index: 3, family: RouteFamily.inet, address: [10, 0, 0, 1], prefixLength: 24)
    let expected: String = [
      "02180000", "03000000",  // ifaddrmsg: AF_INET /24, index 3
      "08000200", "0a000001",  // IFA_LOCAL
      "08000100", "0a000001",  // IFA_ADDRESS
    ].joined()
    #expect(hex(body(r)) == expected)
  }

  @Test func dumpsAreMarked() {
    #expect(RouteRequest.dumpRoutes(family: RouteFamily.inet).isDump)
    #expect(RouteRequest.dumpRules(family: RouteFamily.inet6).isDump)
    #expect(!RouteRequest.getLink(name: "wg0").isDump)
    #expect(hex(encoded(.dumpLinks(), sequence: 4)).hasPrefix("200000001200" + "0103"))
  }

  // MARK: replies

  private func message(
    type: UInt16, flags: UInt16 = 0, seq: UInt32 = 0, pid: UInt32 = 0, body: [UInt8]
  )
    -> [UInt8]
  {
    var out = UInt32(16 + body.count).hostEndianBytes
    out += type.hostEndianBytes + flags.hostEndianBytes + seq.hostEndianBytes + pid.hostEndianBytes
    return out + body
  }

  private func split(_ bytes: [UInt8]) throws -> [NetlinkReply] { try NetlinkReply.split(bytes) }

  @Test func decodesRouteWithMetricsAndTable() throws {
    var w = AttributeWriter<RouteSet>()
    w.put(.table, 51820)
    w.put(.destination, [10, 1, 0, 0])
    w.put(.outputInterface, 4)
    w.nested(.metrics) { m in m.put(.mtu, 1400) }
    let header = RouteHeader(
      family: 2, destinationLength: 16, table: 0, proto: 3, scope: 253, type: 1)
    let replies = try split(message(type: 24, body: header.bytes + w.bytes))
    let route = try #require(replies.first.flatMap(RouteEntry.init))
    #expect(
      route.table == 51820 && route.destination == [10, 1, 0, 0] && route.destinationLength == 16)
    #expect(route.outputInterface == 4 && route.mtu == 1400 && route.scope == 253)
  }

  @Test func decodesLinkAddressAndRule() throws {
    var link = AttributeWriter<LinkSet>()
    link.put(.interfaceName, "wg0")
    link.put(.mtu, 1420)
    link.nested(.linkInfo) { $0.put(.kind, "wireguard") }
    let l = try #require(
      try split(message(type: 16, body: InterfaceInfoHeader(index: 7, flags: 1).bytes + link.bytes))
        .first.flatMap(LinkEntry.init))
    #expect(l == LinkEntry(index: 7, flags: 1, name: "wg0", mtu: 1420, kind: "wireguard"))

    var address = AttributeWriter<AddressSet>()
    address.put(.address, [10, 0, 0, 2])
    address.put(.local, [10, 0, 0, 1])
    let header = AddressHeader(family: 2, prefixLength: 24, index: 7)
    let a = try #require(
      try split(message(type: 20, body: header.bytes + address.bytes)).first.flatMap(
        AddressEntry.init))
    #expect(a.address == [10, 0, 0, 1] && a.prefixLength == 24 && a.index == 7)
    // No address attribute at all: nothing to report.
    #expect(try split(message(type: 20, body: header.bytes)).compactMap(AddressEntry.init).isEmpty)

    var rule = AttributeWriter<RuleSet>()
    rule.put(.priority, 32765)
    rule.put(.fwmark, 51820)
    rule.put(.table, 51820)
    let r = try #require(
      try split(
        message(type: 32, body: RuleHeader(family: 2, action: 1, flags: 2).bytes + rule.bytes)
      )
      .first.flatMap(RuleEntry.init))
    #expect(r.inverted && r.fwmark == 51820 && r.table == 51820 && r.priority == 32765)
    #expect(r.suppressPrefixLength == nil)
  }

  @Test func malformedRepliesAreSkippedNotTrapped() throws {
    let good = message(type: 24, body: RouteHeader(family: 2).bytes)
    #expect(try split(good).compactMap(RouteEntry.init).count == 1)
    for cut in 1..<good.count {
      // A truncated datagram is an error, never a partial message.
      #expect(throws: NetlinkError.self) { try split(Array(good[0..<cut])) }
    }
    // A header claiming more bytes than there are.
    var lying = good
    lying[0] = 200
    #expect(throws: NetlinkError.self) { try split(lying) }
    // An attribute longer than its message: the entry is skipped.
    let badAttr = RouteHeader(family: 2).bytes + [0xff, 0x00, 0x01, 0x00, 1, 2, 0, 0]
    let r = try split(message(type: 24, body: badAttr))
    #expect(r.count == 1 && RouteEntry(r[0]) == nil)
    // A u32 attribute of the wrong width: skipped too.
    let wide = RouteHeader(family: 2).bytes + [6, 0, 4, 0, 1, 2, 0, 0]
    #expect(try split(message(type: 24, body: wide)).compactMap(RouteEntry.init).isEmpty)
    // Short family headers give nil, not a crash.
    #expect(try split(message(type: 24, body: [2, 0, 0, 0])).compactMap(RouteEntry.init).isEmpty)
    #expect(try split(message(type: 16, body: [0, 0, 0, 0])).compactMap(LinkEntry.init).isEmpty)
    #expect(
      try split(message(type: 20, body: [2, 24, 0, 0])).compactMap(AddressEntry.init).isEmpty)
    #expect(try split(message(type: 32, body: [2, 0, 0, 0])).compactMap(RuleEntry.init).isEmpty)
    // Another message type is not an entry.
    #expect(try split(good).compactMap(LinkEntry.init).isEmpty)
  }

  // MARK: the socket over a scripted kernel

  /// A "kernel" that handles the requests of a datagram in order, as rtnetlink does: each
  /// answer in a datagram of its own, sent for a failure (the error `refuse` returns for
  /// the request's index, "File exists" as extended-ack text for EEXIST) or when the
  /// request asked for an ACK; only the request's header is echoed (capped).
  final class FakeRouteKernel: NetlinkTransport {
    let portID: UInt32 = 99
    var datagramsSent = 0
    var answersSent = 0
    var requests: [[UInt8]] = []
    var queue: [[UInt8]] = []
    let refuse: (Int) -> Int32

    init(refuse: @escaping (Int) -> Int32 = { _ in 0 }) { self.refuse = refuse }

    func send(_ bytes: [UInt8]) throws(NetlinkError) {
      datagramsSent += 1
      var offset = 0
      while offset + 16 <= bytes.count {
        let length = Int(UInt32(hostEndianBytes: bytes[...], at: offset) ?? 0)
        guard length >= 16, offset + length <= bytes.count else { break }
        let request = Array(bytes[offset..<(offset + length)])
        let code = refuse(requests.count)
        requests.append(request)
        let flags16 = UInt16(hostEndianBytes: bytes[...], at: offset + 6) ?? 0
        guard code != 0 || flags16 & 0x04 != 0 else {
          offset += (length + 3) & ~3
          continue
        }
        var payload = Int32(-code).hostEndianBytes + request.prefix(16)
        var flags: UInt16 = 0x100  // NLM_F_CAPPED
        if code == EEXIST {
          flags |= 0x200  // NLM_F_ACK_TLVS
          var tlv = AttributeWriter<ExtendedAckSet>()
          tlv.put(.message, "File exists")
          payload += tlv.bytes
        }
        let seq = UInt32(hostEndianBytes: bytes[...], at: offset + 8) ?? 0
        var reply = UInt32(16 + payload.count).hostEndianBytes + UInt16(2).hostEndianBytes
        reply += flags.hostEndianBytes + seq.hostEndianBytes + portID.hostEndianBytes + payload
        queue.append(reply)
        answersSent += 1
        offset += (length + 3) & ~3
      }
    }

    func receive() throws(NetlinkError) -> [UInt8] {
      guard !queue.isEmpty else { throw .system(call: "recv", errno: EAGAIN) }
      return queue.removeFirst()
    }
  }

  @Test func tenThousandRoutesGoOutInBatchesAndEveryResultLandsOnItsRequest() throws {
    let kernel = FakeRouteKernel { $0 % 1000 == 999 ? EEXIST : 0 }
    let socket = RouteSocket(connection: NetlinkConnection(transport: kernel, firstSequence: 1))
    let requests = (0..<10_001).map { (i: Int) -> RouteRequest in
      let address: [UInt8] = [
        10, UInt8(truncatingIfNeeded: i >> 16), UInt8(truncatingIfNeeded: i >> 8),
        UInt8(truncatingIfNeeded: i),
      ]
      return RouteRequest.addRoute(
        family: RouteFamily.inet, destination: address, prefixLength: 32, outputInterface: 5)
    }
    let results = try socket.perform(requests)
    #expect(kernel.datagramsSent == 40)  // ceil(10,001 / 256)
    #expect(kernel.answersSent == 40 + 10)  // an ACK per datagram, and the ten refusals
    #expect(results.count == 10_001)
    #expect(
      results.indices.filter { results[$0] != nil }
        == Array(stride(from: 999, to: 10_001, by: 1000)))
    #expect(results[999] == RouteNetlinkError(code: EEXIST, message: "File exists"))
    // The requests went out unchanged, in order, numbered one after another.
    #expect(kernel.requests.count == 10_001)
    #expect(kernel.requests[42].dropFirst(16) == requests[42].message.bytes.dropFirst(16))
    let numbers = kernel.requests.map { UInt32(hostEndianBytes: $0[...], at: 8) ?? 0 }
    #expect(numbers == (1...10_001).map { UInt32($0) })
    // NLM_F_ACK on the last request of each datagram only.
    let acked = kernel.requests.indices.filter {
      (UInt16(hostEndianBytes: kernel.requests[$0][...], at: 6) ?? 0) & 4 != 0
    }
    #expect(acked == Array(stride(from: 255, to: 10_001, by: 256)) + [10_000])
  }

  @Test func errorTextsNameTheKernelsReason() throws {
    let kernel = FakeRouteKernel { $0 == 0 ? EEXIST : EPERM }
    let socket = RouteSocket(connection: NetlinkConnection(transport: kernel))
    let results = try socket.perform([
      .addAddress(index: 3, family: RouteFamily.inet, address: [10, 0, 0, 1], prefixLength: 24),
      .addRule(family: RouteFamily.inet, table: 51820, fwmark: 51820, invert: true),
    ])
    #expect(
      results.map { $0?.description } == ["File exists (File exists)", "Operation not permitted"])
  }

  @Test func queryCopiesRepliesAndReportsTheKernelsError() throws {
    final class Link: NetlinkTransport {
      let portID: UInt32 = 7
      var queue: [[UInt8]] = []
      func send(_ bytes: [UInt8]) throws(NetlinkError) {
        let seq = UInt32(hostEndianBytes: bytes[...], at: 8) ?? 0
        let name = Array(bytes[36..<39])
        if name == Array("wg0".utf8) {
          var w = AttributeWriter<LinkSet>()
          w.put(.interfaceName, "wg0")
          let payload = InterfaceInfoHeader(index: 5).bytes + w.bytes
          queue.append(head(16, seq, 16 + payload.count) + payload)
          queue.append(head(2, seq, 36) + Int32(0).hostEndianBytes + Array(bytes.prefix(16)))
        } else {
          queue.append(head(2, seq, 36) + Int32(-ENODEV).hostEndianBytes + Array(bytes.prefix(16)))
        }
      }
      func head(_ type: UInt16, _ seq: UInt32, _ length: Int) -> [UInt8] {
        UInt32(length).hostEndianBytes + type.hostEndianBytes + UInt16(0).hostEndianBytes
          + seq.hostEndianBytes + portID.hostEndianBytes
      }
      func receive() throws(NetlinkError) -> [UInt8] {
        guard !queue.isEmpty else { throw .system(call: "recv", errno: EAGAIN) }
        return queue.removeFirst()
      }
    }
    let socket = RouteSocket(connection: NetlinkConnection(transport: Link()))
    let links = try socket.query(.getLink(name: "wg0")).compactMap(LinkEntry.init)
    #expect(links.map(\.name) == ["wg0"] && links.map(\.index) == [5])
    #expect(throws: RouteNetlinkError(code: ENODEV)) { try socket.query(.getLink(name: "wg1")) }
  }
}
