import Glibc
import SWGCore
import Testing

struct BadTestInput: Error {}
func v4(_ s: String) throws -> IPv4Address {
  guard let a = IPv4Address(s) else { throw BadTestInput() }
  return a
}
func v6(_ s: String) throws -> IPv6Address {
  guard let a = IPv6Address(s) else { throw BadTestInput() }
  return a
}
func ip(_ s: String) throws -> IPAddress {
  guard let a = IPAddress(s) else { throw BadTestInput() }
  return a
}

@Suite struct AddressFormattingTests {
  @Test(arguments: [
    ("0.0.0.0", "0.0.0.0"), ("10.0.0.1", "10.0.0.1"), ("255.255.255.255", "255.255.255.255"),
    ("::", "::"), ("::1", "::1"), ("fe80::1", "fe80::1"), ("2001:DB8::1", "2001:db8::1"),
    ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"), ("1:0:0:0:0:0:0:0", "1::"),
    ("::ffff:1.2.3.4", "::ffff:1.2.3.4"), ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"),
    ("0:0:1::", "0:0:1::"), ("fd00:0:0:0:0:0:0:2", "fd00::2"),
  ])
  func addressTextIsInetNtop(_ input: String, _ expected: String) throws {
    let address = try ip(input)
    #expect(address.description == expected)
  }

  @Test(arguments: [
    "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.256", "0x1.2.3.4", " 1.2.3.4", "::g", "1::2::3", "",
  ])
  func malformedAddressesAreRejected(_ input: String) {
    #expect(IPAddress(input) == nil)
  }

  @Test func randomAddressesRoundTripThroughText() throws {
    var rng = SplitMix64(seed: 7)
    for _ in 0..<500 {
      var bytes = randomBytes(16, using: &rng)
      // Zero runs exercise the :: compression.
      for i in 0..<16 where UInt8.random(in: 0...3, using: &rng) == 0 { bytes[i] = 0 }
      let six = IPAddress.v6(try #require(IPv6Address(bytes: bytes)))
      #expect(IPAddress(six.description) == six)
      let four = IPAddress.v4(try #require(IPv4Address(bytes: bytes.prefix(4))))
      #expect(IPAddress(four.description) == four)
      #expect(four.description == bytes.prefix(4).map { String($0) }.joined(separator: "."))
    }
  }

  @Test func endpointTextIsNumericGetnameinfo() throws {
    #expect(Endpoint.v4(try v4("192.0.2.7"), port: 51820).description == "192.0.2.7:51820")
    #expect(Endpoint.v4(try v4("127.0.0.1"), port: 0).description == "127.0.0.1:0")
    #expect(Endpoint.v6(try v6("::1"), port: 1234).description == "[::1]:1234")
    #expect(Endpoint.v6(try v6("2001:db8::1"), port: 65535).description == "[2001:db8::1]:65535")
    // Link-local scope: printed as %ifname (ifindex 1 is always lo).
    let lo = if_nametoindex("lo")
    #expect(
      Endpoint.v6(try v6("fe80::1"), port: 51820, scopeID: lo).description == "[fe80::1%lo]:51820")
    // A v4-mapped address is still AF_INET6 and contains ':'.
    #expect(Endpoint.v6(try v6("::ffff:10.0.0.1"), port: 1).description == "[::ffff:10.0.0.1]:1")
  }

  @Test func endpointSockaddrRoundTrip() throws {
    let endpoints: [Endpoint] = [
      .v4(try v4("10.1.2.3"), port: 51820),
      .v6(try v6("fd00::1"), port: 443, flowInfo: 5, scopeID: 0),
    ]
    for e in endpoints {
      #expect(e.withSockaddr { Endpoint(sockaddr: $0) } == e)
    }
    #expect(Endpoint(sockaddr: UnsafeRawBufferPointer(start: nil, count: 0)) == nil)
  }

  @Test func allowedIPTextAndHostBits() throws {
    let a = try #require(AllowedIP(address: try ip("10.0.0.1"), cidr: 24))
    #expect(a.description == "10.0.0.1/24")
    #expect(a.hasHostBits)
    #expect(!(try #require(AllowedIP(address: try ip("10.0.0.0"), cidr: 24))).hasHostBits)
    #expect(try #require(AllowedIP(address: try ip("fd00::1"), cidr: 64)).hasHostBits)
    #expect(!(try #require(AllowedIP(address: try ip("fd00::"), cidr: 64))).hasHostBits)
    #expect(AllowedIP(address: try ip("10.0.0.0"), cidr: 33) == nil)
    #expect(AllowedIPChange(a, remove: true).description == "-10.0.0.1/24")
  }
}
