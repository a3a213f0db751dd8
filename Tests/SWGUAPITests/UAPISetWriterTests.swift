import Glibc
import SWGCore
import Testing

@testable import SWGUAPI

func text(_ change: DeviceChange) -> String {
  String(decoding: UAPISetWriter.request(for: change), as: UTF8.self)
}

func allowed(_ s: String, remove: Bool = false) throws -> AllowedIPChange {
  let parts = s.split(separator: "/")
  let a = try #require(IPAddress(String(parts[0])))
  let c = try #require(UInt8(parts[1]))
  return AllowedIPChange(try #require(AllowedIP(address: a, cidr: c)), remove: remove)
}

@Suite struct UAPISetWriterTests {
  @Test func emptyChange() {
    #expect(text(DeviceChange()) == "set=1\n\n")
  }

  @Test func fullChangeInWgOrder() throws {
    let change = DeviceChange(
      privateKey: key(privHex), listenPort: 51820, fwmark: 0xca6c, replacePeers: true,
      peers: [
        PeerChange(
          publicKey: key(peer1Hex), updateOnly: true, presharedKey: key(pskHex),
          endpoint: .v4(try #require(IPv4Address("192.0.2.7")), port: 51820),
          persistentKeepalive: 25,
          replaceAllowedIPs: true,
          allowedIPs: [try allowed("10.0.0.2/32"), try allowed("fd00::/64", remove: true)]),
        // remove: nothing else is sent for this peer, whatever else is set.
        PeerChange(
          publicKey: key(peer2Hex), remove: true, presharedKey: key(pskHex), persistentKeepalive: 1,
          replaceAllowedIPs: true, allowedIPs: [try allowed("10.0.0.3/32")]),
        PeerChange(
          publicKey: key(pskHex), presharedKey: .zero,
          endpoint: .v6(try #require(IPv6Address("2001:db8::1")), port: 1234),
          persistentKeepalive: 0),
      ])
    #expect(
      text(change) == """
        set=1
        private_key=\(privHex)
        listen_port=51820
        fwmark=51820
        replace_peers=true
        public_key=\(peer1Hex)
        update_only=true
        preshared_key=\(pskHex)
        endpoint=192.0.2.7:51820
        persistent_keepalive_interval=25
        replace_allowed_ips=true
        allowed_ip=10.0.0.2/32
        allowed_ip=-fd00::/64
        public_key=\(peer2Hex)
        remove=true
        public_key=\(pskHex)
        preshared_key=\(zeroHex)
        endpoint=[2001:db8::1]:1234
        persistent_keepalive_interval=0


        """)
  }

  @Test func zeroValuesAreSent() {
    // 0 means "random port", "fwmark off", "no private key": they must reach the daemon.
    let t = text(DeviceChange(privateKey: .zero, listenPort: 0, fwmark: 0))
    #expect(t == "set=1\nprivate_key=\(zeroHex)\nlisten_port=0\nfwmark=0\n\n")
  }

  @Test func largestNumbers() {
    #expect(
      text(DeviceChange(listenPort: 65535, fwmark: 0xffff_ffff))
        == "set=1\nlisten_port=65535\nfwmark=4294967295\n\n")
  }

  @Test func endpointForms() throws {
    let lo6 = try #require(IPv6Address("fe80::1"))
    let mapped = try #require(IPv6Address("::ffff:1.2.3.4"))
    let cases: [(Endpoint, String)] = [
      (.v4(IPv4Address(0), port: 0), "0.0.0.0:0"),
      (.v4(IPv4Address(0xffff_ffff), port: 65535), "255.255.255.255:65535"),
      (.v6(lo6, port: 7, flowInfo: 0, scopeID: 1), "[fe80::1%lo]:7"),
      (.v6(mapped, port: 9), "[::ffff:1.2.3.4]:9"),
    ]
    for (e, want) in cases {
      let t = text(DeviceChange(peers: [PeerChange(publicKey: key(peer1Hex), endpoint: e)]))
      #expect(t == "set=1\npublic_key=\(peer1Hex)\nendpoint=\(want)\n\n")
      // What we send is what wg's own printing of the endpoint gives.
      #expect(want == e.description)
    }
  }

  @Test func allowedIPsPrintLikeInetNtop() throws {
    let ips = [
      "0.0.0.0/0", "10.1.2.3/32", "::/0", "2001:db8::/32", "::ffff:1.2.3.4/128",
      "fd00:0:0:1::1/128",
    ]
    let change = DeviceChange(peers: [
      PeerChange(publicKey: key(peer1Hex), allowedIPs: try ips.map { try allowed($0) })
    ])
    let lines = text(change).split(separator: "\n").filter { $0.hasPrefix("allowed_ip=") }
    #expect(
      lines.map { String($0.dropFirst("allowed_ip=".count)) }
        == (try ips.map { try allowed($0).description }))
    #expect(lines.count == ips.count)
  }

  @Test func chunksConcatenateToTheWholeAndStaySmall() throws {
    var peers: [PeerChange] = []
    for i in 0..<3000 {
      let k = try #require(Key(bytes: (0..<32).map { UInt8(truncatingIfNeeded: i &* 7 &+ $0) }))
      peers.append(
        PeerChange(
          publicKey: k, endpoint: .v4(IPv4Address(0x7f00_0001), port: UInt16(i)),
          allowedIPs: [
            AllowedIPChange(
              try #require(AllowedIP(address: .v4(IPv4Address(UInt32(i) << 8)), cidr: 24)))
          ]))
    }
    let change = DeviceChange(replacePeers: true, peers: peers)
    let whole = UAPISetWriter.request(for: change)
    var joined: [UInt8] = []
    var sizes: [Int] = []
    UAPISetWriter.write(change, chunkSize: 4096) { chunk in
      sizes.append(chunk.count)
      joined.append(contentsOf: chunk)
    }
    #expect(joined == whole)
    #expect(sizes.count > 10)
    // A chunk is flushed once it passes the size, so it exceeds it by at most one peer's lines.
    #expect(sizes.max() ?? 0 < 4096 + 512)
    #expect(whole.suffix(2) == [0x0a, 0x0a])
  }

  @Test func emitErrorsStopTheWriter() throws {
    struct Stop: Error {}
    var calls = 0
    let peers = (0..<5000).map { _ in PeerChange(publicKey: key(peer1Hex)) }
    #expect(throws: Stop.self) {
      try UAPISetWriter.write(DeviceChange(peers: peers), chunkSize: 1024) { _ in
        calls += 1
        if calls == 2 { throw Stop() }
      }
    }
    #expect(calls == 2)
  }
}

@Suite struct UAPISetReplyParserTests {
  func setError(_ text: String) -> UAPIReplyError? {
    do {
      try UAPISetReplyParser.parse(bytes(text))
      return nil
    } catch {
      return error
    }
  }

  @Test func success() {
    #expect(setError("errno=0\n\n") == nil)
    #expect(setError("errno=-0\n\n") == nil)
    #expect(setError("other=x\nerrno=0\n\nignored") == nil)
  }

  // wg negates what it reads: wireguard-go's -22 is EINVAL; boringtun's 22 becomes -22.
  @Test func signs() {
    #expect(setError("errno=-22\n\n") == .daemon(Errno(EINVAL)))
    #expect(setError("errno=-22\n\n")?.errno.description == "Invalid argument")
    #expect(setError("errno=22\n\n") == .daemon(Errno(-22)))
    #expect(setError("errno=22\n\n")?.errno.description == "Unknown error -22")
    #expect(setError("errno=-98\n\n")?.errno.description == "Address already in use")
    #expect(setError("errno=-2147483648\n\n") == .daemon(Errno(Int32.min)))
  }

  @Test(arguments: [
    ("errno=\n\n", UAPIReplyError.badValue(key: "errno", line: 1)),
    ("errno=-\n\n", .badValue(key: "errno", line: 1)),
    ("errno=--1\n\n", .badValue(key: "errno", line: 1)),
    ("errno=+1\n\n", .badValue(key: "errno", line: 1)),
    ("errno=0x1\n\n", .badValue(key: "errno", line: 1)),
    ("errno=2147483648\n\n", .badValue(key: "errno", line: 1)),
    ("errno=-2147483649\n\n", .badValue(key: "errno", line: 1)),
    ("errno 0\n\n", .missingEquals(line: 1)),
    ("errno=0\0\n\n", .nulByte(line: 1)),
    ("\n", .missingErrno),
    ("errno=0\n", .endedEarly),
    ("", .endedEarly),
  ])
  func refused(text: String, want: UAPIReplyError) {
    let e = setError(text)
    #expect(e == want)
    #expect(e?.errno == .protocolError)
  }

  @Test func hugeReplyIsCutOff() {
    var p = UAPISetReplyParser()
    #expect(throws: UAPIReplyError.replyTooLong) {
      for _ in 0..<10000 { try p.feed(bytes("x=yyyyyyyyyyyyyyy\n")) }
    }
  }
}
