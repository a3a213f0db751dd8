import SWGCore
import Testing

@testable import SWGQuick

private func prefix(_ text: String) throws -> AllowedIP {
  let parts = text.split(separator: "/")
  let address = try #require(IPAddress(String(parts[0])))
  let cidr = try #require(UInt8(parts[1]))
  return try #require(AllowedIP(address: address, cidr: cidr))
}

@Suite struct RoutePlanTests {
  @Test func longestPrefixFirstThenReverseBytesLikeSortNrK2() throws {
    let input = try ["0.0.0.0/0", "10.0.0.10/32", "fd00::/64", "::/0", "10.0.0.2/32", "10.1.0.0/16", "192.168.0.0/24"]
      .map(prefix)
    // What `sort -nr -k 2 -t /` prints under LC_ALL=C for the same lines.
    let expected = ["fd00::/64", "10.0.0.2/32", "10.0.0.10/32", "192.168.0.0/24", "10.1.0.0/16", "::/0", "0.0.0.0/0"]
    #expect(RoutePlan.ordered(input).map(\.description) == expected)
  }

  @Test func orderMatchesGNUSort() throws {
    let lines = ["10.9.0.1/32", "10.10.0.0/16", "fd00:1::/48", "10.9.0.0/24", "1.2.3.4/32", "::/0", "0.0.0.0/0", "fe80::/10"]
    let sorted = try RoutePlan.ordered(lines.map(prefix)).map(\.description)
    // sort(1) run on the host, if present, is the oracle.
    let p = ProcessRunner().run(["sh", "-c", "printf '%s\\n' \(lines.joined(separator: " ")) | LC_ALL=C sort -nr -k 2 -t /"], capture: true)
    if p.status == 0 {
      #expect(sorted == p.output.split(separator: "\n").map(String.init))
    }
  }

  @Test(arguments: [
    ("10.0.0.0/24", "10.0.0.5/32", true), ("10.0.0.0/24", "10.0.1.0/32", false),
    ("10.0.0.0/24", "10.0.0.0/16", false), ("0.0.0.0/0", "1.2.3.4/32", true),
    ("fd00::/64", "fd00::1/128", true), ("fd00::/64", "fd00:0:0:1::/64", false),
    ("fd00::/8", "fdff::/16", true), ("fd00::1/128", "fd00::1/128", true),
    ("10.0.0.0/8", "fd00::/64", false),
  ])
  func covers(route: String, candidate: String, expected: Bool) throws {
    #expect(RoutePlan.covers(try prefix(route), try prefix(candidate)) == expected)
  }

  @Test func interfaceAddresses() throws {
    let a = try #require(InterfaceAddress("10.0.0.1/24"))
    #expect(a.prefixLength == 24)
    #expect(try #require(InterfaceAddress("fd00::1")).prefixLength == 128)
    #expect(try #require(InterfaceAddress("10.0.0.1")).prefixLength == 32)
    #expect(InterfaceAddress("10.0.0.1/33") == nil)
    #expect(InterfaceAddress("10.0.0/24") == nil)
    #expect(InterfaceAddress("fd00::1/129") == nil)
    #expect(InterfaceAddress("") == nil)
  }

  @Test func cUnsignedParsing() {
    #expect(parseCUnsigned("1420") == 1420)
    #expect(parseCUnsigned("0x500") == 1280)
    #expect(parseCUnsigned("017") == 15)
    #expect(parseCUnsigned("0") == 0)
    #expect(parseCUnsigned("12a") == nil)
    #expect(parseCUnsigned("") == nil)
    #expect(parseCUnsigned("4294967296") == nil)
  }

  @Test func tableModes() throws {
    var s = QuickSettings(interface: "wg0")
    #expect(try s.tableMode(names: RouteTableNames.builtIn) == .auto)
    s.table = "auto"
    #expect(try s.tableMode(names: RouteTableNames.builtIn) == .auto)
    s.table = "off"
    #expect(try s.tableMode(names: RouteTableNames.builtIn) == .off)
    s.table = "1234"
    #expect(try s.tableMode(names: RouteTableNames.builtIn) == .id(1234))
    s.table = "main"
    #expect(try s.tableMode(names: RouteTableNames.builtIn) == .id(254))
    s.table = "vpn"
    #expect(try s.tableMode(names: RouteTableNames.parse("# c\n100 vpn # x\n")) == .id(100))
    s.table = "nonsense"
    #expect(throws: QuickError.self) { try s.tableMode(names: RouteTableNames.builtIn) }
  }
}
