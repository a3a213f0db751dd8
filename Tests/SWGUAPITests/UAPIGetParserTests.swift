import Glibc
import SWGCore
import Testing

@testable import SWGUAPI

// Keys used throughout, as the 64 hex digits the protocol carries.
let privHex = "18ad4040a1c76e1c42ad3e7dbd2e3da4d8a91e0b1a8b4e1b56a4c0b4c2d30c6f"
let peer1Hex = "c5320103b5e4e6c5a43b0f1a8f0c2b1f0e5b4a39281706f5e4d3c2b1a0f9f038"
let peer2Hex = "58402e695ba1772b1cc9309755f043251ea77fdcf10fbe63989ceb7e19321376"
let pskHex = "fe7d5c1b8a6e0d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4"
let zeroHex = String(repeating: "0", count: 64)

func key(_ hex: String) -> Key {
  guard let k = Key(hex: hex) else { fatalError("bad test key \(hex)") }
  return k
}

func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

/// A reply in wireguard-go's order and form.
let goldenReply = """
  private_key=\(privHex)
  listen_port=51820
  fwmark=51820
  public_key=\(peer1Hex)
  preshared_key=\(pskHex)
  protocol_version=1
  endpoint=192.0.2.7:51820
  last_handshake_time_sec=1795516657
  last_handshake_time_nsec=5
  tx_bytes=1536
  rx_bytes=5368709120
  persistent_keepalive_interval=25
  allowed_ip=10.0.0.2/32
  allowed_ip=fd00::2/128
  public_key=\(peer2Hex)
  preshared_key=\(zeroHex)
  protocol_version=1
  endpoint=[2001:db8::1]:1234
  last_handshake_time_sec=0
  last_handshake_time_nsec=0
  tx_bytes=0
  rx_bytes=0
  persistent_keepalive_interval=0
  errno=0


  """

func goldenDevice() throws -> Device {
  let a1 = try #require(IPAddress("10.0.0.2"))
  let a2 = try #require(IPAddress("fd00::2"))
  return Device(
    name: "wg0", privateKey: key(privHex), publicKey: key(privHex).publicKey, listenPort: 51820,
    fwmark: 51820,
    peers: [
      Peer(
        publicKey: key(peer1Hex), presharedKey: key(pskHex),
        endpoint: .v4(try #require(IPv4Address("192.0.2.7")), port: 51820), persistentKeepalive: 25,
        lastHandshake: Timespec(seconds: 1_795_516_657, nanoseconds: 5), rxBytes: 5_368_709_120,
        txBytes: 1536,
        allowedIPs: [
          try #require(AllowedIP(address: a1, cidr: 32)),
          try #require(AllowedIP(address: a2, cidr: 128)),
        ]),
      Peer(
        publicKey: key(peer2Hex),
        endpoint: .v6(try #require(IPv6Address("2001:db8::1")), port: 1234)),
    ])
}

/// Parses `text` whole and returns the error, or nil when it parsed.
func getError(_ text: String, limits: UAPIGetParser.Limits = .standard) -> UAPIReplyError? {
  do {
    _ = try UAPIGetParser.parse(bytes(text), interfaceName: "wg0", limits: limits)
    return nil
  } catch {
    return error
  }
}

/// A minimal valid reply with `lines` inside one peer.
func peerReply(_ lines: String) -> String {
  "public_key=\(peer1Hex)\n\(lines)\nerrno=0\n\n"
}

@Suite struct UAPIGetParserTests {
  @Test func goldenReplyParses() throws {
    let d = try UAPIGetParser.parse(bytes(goldenReply), interfaceName: "wg0")
    #expect(d == (try goldenDevice()))
    // wg derives the device public key; the protocol never carries it.
    #expect(d.publicKey == key(privHex).publicKey)
    #expect(d.publicKey != nil && d.publicKey != d.privateKey)
  }

  @Test func everySplitPointGivesTheSameDevice() throws {
    let all = bytes(goldenReply)
    let want = try goldenDevice()
    for cut in 0...all.count {
      var p = UAPIGetParser(interfaceName: "wg0")
      let doneEarly = try p.feed(Array(all[..<cut]))
      if !doneEarly { try p.feed(Array(all[cut...])) }
      #expect(try p.finish() == want, "cut at \(cut)")
    }
    // And one byte at a time.
    var p = UAPIGetParser(interfaceName: "wg0")
    for b in all { try p.feed([b]) }
    #expect(try p.finish() == want)
  }

  @Test func emptyDeviceAndBytesAfterTheBlankLine() throws {
    let d = try UAPIGetParser.parse(
      bytes("errno=0\n\ngarbage without equals\n"), interfaceName: "wg9")
    #expect(d == Device(name: "wg9"))
  }

  @Test func feedReportsCompletion() throws {
    var p = UAPIGetParser(interfaceName: "wg0")
    #expect(try p.feed(bytes("errno=0\n")) == false)
    #expect(!p.isComplete)
    #expect(try p.feed(bytes("\n")) == true)
    #expect(p.isComplete)
    #expect(try p.feed(bytes("more")) == true)
  }

  // wg's get reads errno with NUM(): digits only. wireguard-go's negative errno is thus a
  // protocol error, and a positive one (boringtun's) is reported as itself.
  @Test(arguments: [
    ("errno=-22\n\n", UAPIReplyError.badValue(key: "errno", line: 1), EPROTO),
    ("errno=22\n\n", UAPIReplyError.daemon(Errno(EINVAL)), EINVAL),
    ("errno=5\n\n", UAPIReplyError.daemon(Errno(EIO)), EIO),
    ("errno=2147483648\n\n", UAPIReplyError.badValue(key: "errno", line: 1), EPROTO),
    ("errno=+1\n\n", UAPIReplyError.badValue(key: "errno", line: 1), EPROTO),
    ("\n", UAPIReplyError.missingErrno, EPROTO),
    ("listen_port=1\n\n", UAPIReplyError.missingErrno, EPROTO),
  ])
  func errnoSigns(text: String, want: UAPIReplyError, errno: Int32) {
    let e = getError(text)
    #expect(e == want)
    #expect(e?.errno == Errno(errno))
  }

  @Test func errnoTexts() {
    // What wg prints after "Unable to access interface: ".
    #expect(getError("errno=22\n\n")?.errno.description == "Invalid argument")
    #expect(getError("errno=-22\n\n")?.errno.description == "Protocol error")
  }

  @Test func lastErrnoWins() throws {
    #expect(throws: Never.self) {
      try UAPIGetParser.parse(bytes("errno=5\nerrno=0\n\n"), interfaceName: "x")
    }
    #expect(getError("errno=0\nerrno=5\n\n") == .daemon(Errno(EIO)))
  }

  @Test(arguments: [
    "errno=0\n",  // no blank line
    "errno=0",  // no newline at all
    "private_key=\(privHex)\n",
    "",
  ])
  func endedEarly(text: String) {
    #expect(getError(text) == .endedEarly)
  }

  @Test func noEquals() {
    #expect(getError("listen_port\n\n") == .missingEquals(line: 1))
    #expect(getError("errno=0\nhello\n\n") == .missingEquals(line: 2))
  }

  @Test func nulByte() {
    #expect(getError("listen_port=1\0\nerrno=0\n\n") == .nulByte(line: 1))
    #expect(getError("\0\n\n") == .nulByte(line: 1))
  }

  @Test(arguments: [
    ("private_key=\(privHex.dropLast())", "private_key"),
    ("private_key=\(privHex)0", "private_key"),
    ("private_key=\(privHex.dropLast())g", "private_key"),
    ("private_key=", "private_key"),
    ("listen_port=65536", "listen_port"),
    ("listen_port=", "listen_port"),
    ("listen_port=-1", "listen_port"),
    ("listen_port= 1", "listen_port"),
    ("listen_port=1 ", "listen_port"),
    ("fwmark=4294967296", "fwmark"),
    ("fwmark=0x10", "fwmark"),
    ("public_key=abc", "public_key"),
  ])
  func badDeviceValues(line: String, key: String) {
    #expect(getError("\(line)\nerrno=0\n\n") == .badValue(key: key, line: 1))
  }

  @Test(arguments: [
    ("preshared_key=123", "preshared_key"),
    ("endpoint=", "endpoint"),
    ("endpoint=1.2.3.4", "endpoint"),
    ("endpoint=1.2.3.4:", "endpoint"),
    ("endpoint=[::1]", "endpoint"),
    ("endpoint=[::1", "endpoint"),
    ("endpoint=[::1]:", "endpoint"),
    ("endpoint=[::1]x5", "endpoint"),
    ("persistent_keepalive_interval=65536", "persistent_keepalive_interval"),
    ("persistent_keepalive_interval=off", "persistent_keepalive_interval"),
    ("last_handshake_time_sec=9223372036854775808", "last_handshake_time_sec"),
    ("last_handshake_time_nsec=x", "last_handshake_time_nsec"),
    ("rx_bytes=18446744073709551616", "rx_bytes"),
    ("tx_bytes=", "tx_bytes"),
    ("allowed_ip=10.0.0.1", "allowed_ip"),
    ("allowed_ip=10.0.0.1/", "allowed_ip"),
    ("allowed_ip=10.0.0.1/33", "allowed_ip"),
    ("allowed_ip=10.0.0.1/+1", "allowed_ip"),
    ("allowed_ip=10.0.0.1/1x", "allowed_ip"),
    ("allowed_ip=10.0.0.1/24/1", "allowed_ip"),
    ("allowed_ip=010.0.0.1/32", "allowed_ip"),
    ("allowed_ip=10.0.0/24", "allowed_ip"),
    ("allowed_ip=256.0.0.0/8", "allowed_ip"),
    ("allowed_ip=fd00::/129", "allowed_ip"),
    ("allowed_ip=fd00:::1/64", "allowed_ip"),
    ("allowed_ip=/0", "allowed_ip"),
  ])
  func badPeerValues(line: String, key: String) {
    #expect(getError(peerReply(line)) == .badValue(key: key, line: 2))
  }

  @Test func extremeNumbersThatFit() throws {
    let d = try UAPIGetParser.parse(
      bytes(
        peerReply(
          "rx_bytes=18446744073709551615\ntx_bytes=007\nlast_handshake_time_sec=9223372036854775807"
        )),
      interfaceName: "wg0")
    let p = try #require(d.peers.first)
    #expect(p.rxBytes == UInt64.max)
    #expect(p.txBytes == 7)
    #expect(p.lastHandshake.seconds == Int64.max)
  }

  @Test func nonNumericEndpointIsUnreachable() {
    // wg's getaddrinfo would fail on these (it never gets as far as DNS here: we refuse names).
    let e = getError(peerReply("endpoint=vpn.example.com:51820"))
    #expect(e == .unresolvableEndpoint(line: 2))
    #expect(e?.errno == Errno(ENETUNREACH))
    #expect(getError(peerReply("endpoint=1.2.3.4:http")) == .unresolvableEndpoint(line: 2))
  }

  @Test(arguments: [
    ("endpoint=127.0.0.1:0", "127.0.0.1:0"),
    ("endpoint=[::1]:51820", "[::1]:51820"),
    ("endpoint=::1:51820", "[::1]:51820"),
    ("endpoint=[::ffff:1.2.3.4]:9", "[::ffff:1.2.3.4]:9"),
    ("endpoint=[fe80::1%1]:51820", "[fe80::1%lo]:51820"),
    ("endpoint=[fe80::1%lo]:7", "[fe80::1%lo]:7"),
    ("endpoint=[1.2.3.4]:5", "1.2.3.4:5"),
    ("endpoint=127.1:5", "127.0.0.1:5"),
  ])
  func endpoints(line: String, printed: String) throws {
    let d = try UAPIGetParser.parse(bytes(peerReply(line)), interfaceName: "wg0")
    let e = try #require(d.peers.first?.endpoint)
    #expect(e.description == printed)
  }

  @Test func scopeIsKept() throws {
    let d = try UAPIGetParser.parse(
      bytes(peerReply("endpoint=[fe80::1%1]:51820")), interfaceName: "wg0")
    guard case .v6(_, let port, _, let scope)? = d.peers.first?.endpoint else {
      Issue.record("not a v6 endpoint")
      return
    }
    #expect(port == 51820)
    #expect(scope == 1)
  }

  @Test func keysOutOfPlaceAndUnknownKeysAreIgnored() throws {
    let text = """
      own_public_key=\(peer2Hex)
      preshared_key=zzz
      endpoint=garbage
      allowed_ip=garbage
      something_new=1
      listen_port=7
      public_key=\(peer1Hex)
      private_key=garbage
      listen_port=garbage
      fwmark=garbage
      protocol_version=garbage
      future_key=
      =
      allowed_ip=0.0.0.0/0
      errno=0


      """
    let d = try UAPIGetParser.parse(bytes(text), interfaceName: "wg0")
    #expect(d.listenPort == 7)
    #expect(d.privateKey == nil && d.publicKey == nil)
    #expect(d.peers.count == 1)
    #expect(d.peers.first?.protocolVersion == 1)
    #expect(d.peers.first?.allowedIPs.map(\.description) == ["0.0.0.0/0"])
  }

  @Test func zeroPresharedKeyIsNone() throws {
    let d = try UAPIGetParser.parse(
      bytes(peerReply("preshared_key=\(zeroHex)")), interfaceName: "wg0")
    #expect(d.peers.first?.presharedKey == nil)
  }

  @Test func uppercaseHexIsAccepted() throws {
    let d = try UAPIGetParser.parse(
      bytes("private_key=\(privHex.uppercased())\nerrno=0\n\n"), interfaceName: "w")
    #expect(d.privateKey == key(privHex))
  }

  @Test func protocolVersionIsRead() throws {
    let d = try UAPIGetParser.parse(bytes(peerReply("protocol_version=2")), interfaceName: "wg0")
    #expect(d.peers.first?.protocolVersion == 2)
  }

  @Test func duplicatePeersStayAsSent() throws {
    let text = "public_key=\(peer1Hex)\npublic_key=\(peer1Hex)\nerrno=0\n\n"
    let d = try UAPIGetParser.parse(bytes(text), interfaceName: "wg0")
    #expect(d.peers.count == 2)
  }

  // MARK: Limits

  @Test func lineLengthLimit() {
    let limits = UAPIGetParser.Limits(maxLineLength: 20)
    #expect(getError("x=\(String(repeating: "a", count: 18))\nerrno=0\n\n", limits: limits) == nil)
    #expect(
      getError("x=\(String(repeating: "a", count: 19))\nerrno=0\n\n", limits: limits)
        == .lineTooLong(line: 1))
    // A line that never ends is cut off at the limit, not buffered.
    var p = UAPIGetParser(interfaceName: "wg0", limits: limits)
    #expect(throws: UAPIReplyError.lineTooLong(line: 1)) {
      for _ in 0..<100 { try p.feed(bytes("aaaaa")) }
    }
    // And stays refused.
    #expect(throws: UAPIReplyError.lineTooLong(line: 1)) { try p.feed(bytes("\n\n")) }
    #expect(throws: UAPIReplyError.lineTooLong(line: 1)) { try p.finish() }
  }

  @Test func defaultLineLimitRefusesHugeLines() {
    #expect(
      getError("x=\(String(repeating: "a", count: 5000))\nerrno=0\n\n") == .lineTooLong(line: 1))
  }

  @Test func peerLimit() {
    let limits = UAPIGetParser.Limits(maxPeers: 3)
    let three = String(repeating: "public_key=\(peer1Hex)\n", count: 3)
    #expect(getError(three + "errno=0\n\n", limits: limits) == nil)
    #expect(
      getError(three + "public_key=\(peer1Hex)\nerrno=0\n\n", limits: limits) == .tooManyPeers)
  }

  @Test func allowedIPLimit() {
    let limits = UAPIGetParser.Limits(maxAllowedIPs: 2)
    let two =
      "public_key=\(peer1Hex)\nallowed_ip=1.0.0.0/8\npublic_key=\(peer2Hex)\nallowed_ip=2.0.0.0/8\n"
    #expect(getError(two + "errno=0\n\n", limits: limits) == nil)
    #expect(
      getError(two + "allowed_ip=3.0.0.0/8\nerrno=0\n\n", limits: limits) == .tooManyAllowedIPs)
  }

  @Test func totalBytesLimit() {
    let limits = UAPIGetParser.Limits(maxTotalBytes: 100)
    let line = "unknown=123456789\n"  // 18 bytes
    #expect(getError(String(repeating: line, count: 5) + "errno=0\n\n", limits: limits) == nil)
    #expect(
      getError(String(repeating: line, count: 6) + "errno=0\n\n", limits: limits) == .replyTooLong)
  }

  // MARK: Mutation fuzzing

  /// Random mutations of the golden reply, fed in random chunks, must never trap, and
  /// must come out the same whether fed whole or in pieces.
  @Test func randomMutationsNeverTrap() throws {
    var rng = SplitMix64(seed: 0x5347_5541_5049)
    let base = bytes(goldenReply)
    let alphabet = bytes("=\n\0-:[]%/.0123456789abcdefxyz_ ") + [0xff, 0x80]
    var parsed = 0
    var refused = 0
    for _ in 0..<3000 {
      var input = base
      for _ in 0..<Int(rng.next() % 6 + 1) {
        guard !input.isEmpty else { break }
        let i = Int(rng.next() % UInt64(input.count))
        switch rng.next() % 5 {
        case 0: input[i] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
        case 1: input.remove(at: i)
        case 2: input.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: i)
        case 3:
          let j = min(input.count, i + Int(rng.next() % 80))
          input.insert(contentsOf: Array(input[i..<j]), at: Int(rng.next() % UInt64(input.count)))
        default: input.removeSubrange(i..<min(input.count, i + Int(rng.next() % 40)))
        }
      }
      let whole = Result { () throws(UAPIReplyError) in
        try UAPIGetParser.parse(input, interfaceName: "wg0", limits: .init(maxLineLength: 200))
      }
      var p = UAPIGetParser(interfaceName: "wg0", limits: .init(maxLineLength: 200))
      var start = 0
      let pieces = Result { () throws(UAPIReplyError) -> Device in
        while start < input.count {
          let end = min(input.count, start + Int(rng.next() % 50) + 1)
          if try p.feed(Array(input[start..<end])) { break }
          start = end
        }
        return try p.finish()
      }
      switch (whole, pieces) {
      case (.success(let a), .success(let b)):
        #expect(a == b)
        parsed += 1
      case (.failure(let a), .failure(let b)):
        #expect(a == b)
        #expect(
          [EPROTO, ENETUNREACH, EINVAL, EIO].contains(a.errno.rawValue) || a.errno.rawValue > 0)
        refused += 1
      default:
        Issue.record("whole and chunked parses disagree: \(whole) vs \(pieces)")
      }
    }
    // Both outcomes must be exercised, or the loop tests nothing.
    #expect(parsed > 50)
    #expect(refused > 500)
  }
}

/// A small deterministic generator, so a failing case can be replayed.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
