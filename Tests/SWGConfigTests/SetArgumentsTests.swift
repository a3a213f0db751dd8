import SWGConfig
import SWGCore
import Testing

private let pub = TestKeys.publicText
private let pub2 = TestKeys.peer2Text

@Suite struct SetArgumentsTests {
  func parse(_ words: [String], warnings: inout [String]) throws -> DeviceChange {
    try SetArguments.parse(words, resolutionRetries: 0) { warnings.append($0.description) }
  }

  func parse(_ words: [String]) throws -> DeviceChange {
    var ignored: [String] = []
    return try parse(words, warnings: &ignored)
  }

  @Test func noWordsIsAnEmptyChange() throws {
    #expect(try parse([]).isEmpty)
  }

  @Test func deviceKeywords() throws {
    let dir = try TempDir()
    let keyFile = try dir.write("pk", TestKeys.privateText + "\n")
    let change = try parse(["listen-port", "1234", "fwmark", "off", "private-key", keyFile])
    #expect(change.listenPort == 1234)
    #expect(change.fwmark == 0)
    #expect(change.privateKey?.base64 == TestKeys.privateText)
    #expect(!change.replacePeers)
    #expect(change.peers.isEmpty)
  }

  @Test func lastScalarWins() throws {
    let change = try parse([
      "listen-port", "1", "listen-port", "2", "fwmark", "0x10", "fwmark", "7",
    ])
    #expect(change.listenPort == 2)
    #expect(change.fwmark == 7)
  }

  @Test func privateKeyFromDevNullRemovesTheKey() throws {
    #expect(try parse(["private-key", "/dev/null"]).privateKey == Key.zero)
  }

  @Test func peerKeywords() throws {
    let change = try parse([
      "peer", pub, "preshared-key", "/dev/null", "endpoint", "[::1]:51820", "persistent-keepalive",
      "off",
      "allowed-ips", "10.0.0.0/8, fd00::/64",
    ])
    let peer = try #require(change.peers.first)
    #expect(change.peers.count == 1)
    #expect(peer.publicKey.base64 == pub)
    #expect(peer.presharedKey == Key.zero)
    #expect(peer.endpoint?.description == "[::1]:51820")
    #expect(peer.persistentKeepalive == 0)
    #expect(peer.replaceAllowedIPs)
    #expect(peer.allowedIPs.map(\.description) == ["10.0.0.0/8", "fd00::/64"])
    #expect(!peer.remove && !peer.updateOnly)
  }

  @Test func severalPeersInOrderWithRemoveAndUpdateOnly() throws {
    let change = try parse([
      "peer", pub, "remove", "peer", pub2, "update-only", "persistent-keepalive", "25",
    ])
    #expect(change.peers.map(\.publicKey.base64) == [pub, pub2])
    #expect(change.peers[0].remove)
    #expect(!change.peers[0].updateOnly)
    #expect(change.peers[1].updateOnly)
    #expect(change.peers[1].persistentKeepalive == 25)
    #expect(change.peers[1].allowedIPs.isEmpty && !change.peers[1].replaceAllowedIPs)
  }

  @Test func emptyAllowedIPsReplacesWithNothing() throws {
    let peer = try #require(try parse(["peer", pub, "allowed-ips", ""]).peers.first)
    #expect(peer.replaceAllowedIPs)
    #expect(peer.allowedIPs.isEmpty)
  }

  @Test func replaceIsRecomputedForEachAllowedIPsArgument() throws {
    // Observed with upstream wg: the later unprefixed list turns REPLACE back on.
    let a = try #require(
      try parse(["peer", pub, "allowed-ips", "-10.0.0.0/8", "allowed-ips", "10.1.0.0/16"]).peers
        .first
    )
    #expect(a.replaceAllowedIPs)
    #expect(a.allowedIPs.map(\.description) == ["-10.0.0.0/8", "10.1.0.0/16"])
    let b = try #require(
      try parse(["peer", pub, "allowed-ips", "10.1.0.0/16", "allowed-ips", "+10.2.0.0/16"]).peers
        .first)
    #expect(!b.replaceAllowedIPs)
    #expect(b.allowedIPs.map(\.description) == ["10.1.0.0/16", "10.2.0.0/16"])
    let c = try #require(
      try parse(["peer", pub, "allowed-ips", "+10.9.0.0/24, -10.0.0.2/32"]).peers.first)
    #expect(!c.replaceAllowedIPs)
    #expect(c.allowedIPs.map(\.description) == ["10.9.0.0/24", "-10.0.0.2/32"])
  }

  @Test func allWhitespaceIsRemovedFromAllowedIPs() throws {
    let peer = try #require(
      try parse(["peer", pub, "allowed-ips", " 10.0.0.0 / 8 ,\tfd00::/64\n"]).peers.first)
    #expect(peer.allowedIPs.map(\.description) == ["10.0.0.0/8", "fd00::/64"])
  }

  @Test func hostBitWarningsAreReported() throws {
    var warnings: [String] = []
    _ = try parse(["peer", pub, "allowed-ips", "10.0.0.1/24"], warnings: &warnings)
    #expect(warnings == ["Warning: AllowedIP has nonzero host part: 10.0.0.1/24"])
  }

  @Test func updateOnlyBeforePeerIsInvalid() {
    expectError("Invalid argument: update-only") { try parse(["update-only", "peer", pub]) }
  }
}

/// `wg set` words wg rejects, with wg's exact message.
let invalidSetWords: [([String], String)] = [
  (["remove"], "Invalid argument: remove"),
  (["peer"], "Invalid argument: peer"),
  (["listen-port"], "Invalid argument: listen-port"),
  (["fwmark"], "Invalid argument: fwmark"),
  (["private-key"], "Invalid argument: private-key"),
  (["bogus"], "Invalid argument: bogus"),
  (["Listen-Port", "1"], "Invalid argument: Listen-Port"),
  (["allowed-ips", "10.0.0.0/8"], "Invalid argument: allowed-ips"),
  (["endpoint", "127.0.0.1:1"], "Invalid argument: endpoint"),
  (["persistent-keepalive", "25"], "Invalid argument: persistent-keepalive"),
  (["preshared-key", "/dev/null"], "Invalid argument: preshared-key"),
  (["peer", pub, "listen-port", "1"], "Invalid argument: listen-port"),
  (["peer", pub, "fwmark", "1"], "Invalid argument: fwmark"),
  (["peer", pub, "private-key", "/dev/null"], "Invalid argument: private-key"),
  (["peer", pub, "endpoint"], "Invalid argument: endpoint"),
  (["peer", pub, "allowed-ips"], "Invalid argument: allowed-ips"),
  (["peer", pub, "peer"], "Invalid argument: peer"),
  (["peer", pub, "AllowedIPs", "10.0.0.0/8"], "Invalid argument: AllowedIPs"),
  (["peer", "abc"], "Key is not the correct length or format: `abc'"),
  (["listen-port", ""], "Unable to parse empty port"),
  (["listen-port", "x"], "Servname not supported for ai_socktype: `x'"),
  (["fwmark", "0x1ffffffff"], "Fwmark is neither 0/off nor 0-0xffffffff: `0x1ffffffff'"),
  (["private-key", "/nonexistent/swg"], "fopen: No such file or directory"),
  (["peer", pub, "preshared-key", "/nonexistent/swg"], "fopen: No such file or directory"),
  (["peer", pub, "endpoint", ""], "Unable to parse empty endpoint"),
  (["peer", pub, "endpoint", "[::1"], "Unable to find matching brace of endpoint: `[::1'"),
  (["peer", pub, "endpoint", "1.2.3.4"], "Unable to find port of endpoint: `1.2.3.4'"),
  (
    ["peer", pub, "persistent-keepalive", "70000"],
    "Persistent keepalive interval is neither 0/off nor 1-65535: `70000'"
  ),
  (["peer", pub, "allowed-ips", "10.0.0.x"], "Unable to parse IP address: `10.0.0.x'"),
  (
    ["peer", pub, "allowed-ips", "10.0.0.1/33"],
    "AllowedIP is not in the correct format: `10.0.0.1/33'"
  ),
  (
    ["peer", pub, "allowed-ips", "10.0.0.1/24,bad"],
    "Warning: AllowedIP has nonzero host part: 10.0.0.1/24\nUnable to parse IP address: `bad'"
  ),
  (["peer", pub, "remove", "listen-port", "1"], "Invalid argument: listen-port"),
]

@Suite struct InvalidSetWordsTests {
  static func oursStderr(_ words: [String]) -> String {
    var out = ""
    do {
      _ = try SetArguments.parse(words, resolutionRetries: 0) { out += "\($0)\n" }
      return out + "(accepted)\n"
    } catch {
      return out + error.description + "\n"
    }
  }

  @Test(arguments: invalidSetWords)
  func rejectedWithWgsMessage(_ words: [String], _ message: String) {
    #expect(Self.oursStderr(words) == message + "\n")
  }

  @Test(
    .enabled(if: Oracle.wgAvailable, "wg (wireguard-tools) is not installed"),
    arguments: invalidSetWords)
  func realWgSetPrintsTheSame(_ words: [String], _ message: String) throws {
    let wg = try Oracle.wgSet(words)
    #expect(wg.status == 1)
    #expect(wg.stderrText == message + "\n")
  }
}
