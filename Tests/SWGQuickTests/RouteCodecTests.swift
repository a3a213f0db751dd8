import Testing

@testable import Netlink

/// Golden bytes for the rtnetlink requests swg-quick sends, built from the kernel headers'
/// layouts (x86-64, little-endian), one line per header or attribute.
@Suite struct RouteCodecTests {
  private func hex(_ bytes: [UInt8]) -> String {
    bytes.map { b in
      let s = String(b, radix: 16)
      return s.count == 1 ? "0" + s : s
    }.joined()
  }

  @Test func routeAddMainTable() {
    let r = RouteRequest.addRoute(
      family: RouteFamily.inet, destination: [10, 0, 0, 0], prefixLength: 24, outputInterface: 5)
    let expected: String = [
      "2c000000", "1800", "0506", "01000000", "00000000",  // nlmsghdr: 44 bytes, RTM_NEWROUTE, REQUEST|ACK|EXCL|CREATE, seq 1
      "02180000fe03fd01", "00000000",  // rtmsg: AF_INET /24, table main, proto boot, scope link, unicast
      "08000100", "0a000000",  // RTA_DST 10.0.0.0
      "08000400", "05000000",  // RTA_OIF 5
    ].joined()
    #expect(hex(r.encoded(sequence: 1)) == expected)
  }

  @Test func routeAddHighTableUsesRTATable() {
    let r = RouteRequest.addRoute(
      family: RouteFamily.inet6, destination: [UInt8](repeating: 0, count: 16), prefixLength: 0,
      outputInterface: 7, table: 51820)
    let body = hex(r.body)
    let prefix: String = ["0a000000", "00", "03fd01", "00000000", "08000f00", "6cca0000"].joined()
    #expect(body.hasPrefix(prefix))
  }

  @Test func ruleAddNotFwmark() {
    let r = RouteRequest.addRule(family: RouteFamily.inet, table: 51820, fwmark: 51820, invert: true)
    let expected: String = [
      "2c000000", "2000", "0506", "02000000", "00000000",  // RTM_NEWRULE, 44 bytes, seq 2
      "0200000000000001", "02000000",  // fib_rule_hdr: AF_INET, table in attr, FR_ACT_TO_TBL, FIB_RULE_INVERT
      "08000a00", "6cca0000",  // FRA_FWMARK 51820
      "08000f00", "6cca0000",  // FRA_TABLE 51820
    ].joined()
    #expect(hex(r.encoded(sequence: 2)) == expected)
  }

  @Test func ruleSuppressPrefixLength() {
    let r = RouteRequest.addRule(family: RouteFamily.inet6, table: RouteTableID.main, suppressPrefixLength: 0)
    let expected: String = ["0a000000fe000001", "00000000", "08000e00", "00000000", "08000f00", "fe000000"].joined()
    #expect(hex(r.body) == expected)
  }

  @Test func linkAddWireGuard() {
    let r = RouteRequest.addLink(name: "wg0", kind: "wireguard")
    let expected: String = [
      "3c000000", "1000", "0506", "03000000", "00000000",  // RTM_NEWLINK, 60 bytes
      "00000000", "00000000", "00000000", "00000000",  // ifinfomsg
      "08000300", "77673000",  // IFLA_IFNAME "wg0"
      "14001280", "0e000100", "776972656775617264000000",  // IFLA_LINKINFO { IFLA_INFO_KIND "wireguard" }
    ].joined()
    #expect(hex(r.encoded(sequence: 3)) == expected)
  }

  @Test func linkSetMTUUp() {
    let r = RouteRequest.setLink(index: 9, mtu: 1420, up: true)
    let expected: String = ["00000000", "09000000", "01000000", "01000000", "08000400", "8c050000"].joined()
    #expect(hex(r.body) == expected)
  }

  @Test func addressAdd() {
    let r = RouteRequest.addAddress(index: 3, family: RouteFamily.inet, address: [10, 0, 0, 1], prefixLength: 24)
    let expected: String = ["02180000", "03000000", "08000200", "0a000001", "08000100", "0a000001"].joined()
    #expect(hex(r.body) == expected)
  }

  private func message(type: UInt16, flags: UInt16 = 0, seq: UInt32 = 0, body: [UInt8]) -> [UInt8] {
    var out = rtHostBytes(UInt32(16 + body.count))
    out += rtHostBytes(type)
    out += rtHostBytes(flags)
    out += rtHostBytes(seq)
    out += rtHostBytes(UInt32(0))
    return out + body
  }

  @Test func decodesRouteWithMetricsAndTable() throws {
    var attrs = RouteAttributeWriter<RouteAttribute>()
    attrs.put(.table, u32: 51820)
    attrs.put(.destination, bytes: [10, 1, 0, 0])
    attrs.put(.outputInterface, u32: 4)
    attrs.nested(.metrics) { (m: inout RouteAttributeWriter<RouteMetricAttribute>) in m.put(.mtu, u32: 1400) }
    let body = RouteHeader(family: 2, destinationLength: 16, table: 0, proto: 3, scope: 253, type: 1).encoded + attrs.bytes
    let replies = RouteReply.split(message(type: 24, body: body)[...])
    let route = try #require(replies.first.flatMap(RouteEntry.init))
    #expect(route.table == 51820 && route.destination == [10, 1, 0, 0] && route.destinationLength == 16)
    #expect(route.outputInterface == 4 && route.mtu == 1400)
  }

  @Test func truncatedAndMalformedRepliesAreSkippedNotTrapped() {
    let good = message(type: 24, body: RouteHeader(family: 2).encoded)
    for cut in 0..<good.count {
      let replies = RouteReply.split(good[0..<cut])
      #expect(replies.isEmpty)
    }
    // A header claiming more bytes than there are.
    var lying = good
    lying[0] = 200
    #expect(RouteReply.split(lying[...]).isEmpty)
    // An attribute longer than its message stops the attribute walk.
    let badAttr = RouteHeader(family: 2).encoded + [0xff, 0x00, 0x01, 0x00, 1, 2]
    let r = RouteReply.split(message(type: 24, body: badAttr)[...])
    #expect(r.count == 1)
    #expect(RouteEntry(r[0])?.destination == [])
    // Short family headers give nil, not a crash.
    #expect(RouteReply.split(message(type: 24, body: [2, 0])[...]).compactMap(RouteEntry.init).isEmpty)
    #expect(RouteReply.split(message(type: 16, body: [0])[...]).compactMap(LinkEntry.init).isEmpty)
    #expect(RouteReply.split(message(type: 20, body: [2, 24, 0, 0, 1])[...]).compactMap(AddressEntry.init).isEmpty)
    #expect(RouteReply.split(message(type: 32, body: [2])[...]).compactMap(RuleEntry.init).isEmpty)
  }

  @Test func errorWithExtendedAck() throws {
    var tlv = RouteAttributeWriter<AddressAttribute>()
    tlv.put(.address, string: "File exists")  // type 1 = NLMSGERR_ATTR_MSG
    let echoed = message(type: 20, flags: 0x605, seq: 7, body: [])
    let body = rtHostBytes(Int32(-17)) + echoed + tlv.bytes
    let reply = try #require(RouteReply.split(message(type: 2, flags: 0x300, seq: 7, body: body)[...]).first)
    let error = try #require(RouteSocket.error(in: reply))
    #expect(error.code == 17 && error.message == "File exists")
    let ack = try #require(RouteReply.split(message(type: 2, body: rtHostBytes(Int32(0)) + echoed)[...]).first)
    #expect(RouteSocket.error(in: ack) == nil)
  }
}
