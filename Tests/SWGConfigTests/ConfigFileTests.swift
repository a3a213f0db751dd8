import SWGConfig
import SWGCore
import Testing

private let priv = TestKeys.privateText
private let pub = TestKeys.publicText
private let pub2 = TestKeys.peer2Text
private let psk = TestKeys.pskText

func parseConfig(_ text: String, warnings: inout [String]) throws -> ConfigFile {
  try ConfigFile.parse(text, fileName: "t.conf", resolutionRetries: 0) {
    warnings.append($0.description)
  }
}

func parseConfig(_ text: String) throws -> ConfigFile {
  var ignored: [String] = []
  return try parseConfig(text, warnings: &ignored)
}

func configError(_ text: String) -> ConfigFileError? {
  do {
    _ = try parseConfig(text)
    return nil
  } catch let error as ConfigFileError {
    return error
  } catch {
    return nil
  }
}

/// One test per rule of wg's config parser (config.c, wg(8)).
@Suite struct ConfigFileRuleTests {
  @Test func fullExample() throws {
    let config = try parseConfig(
      """
      [Interface]
      PrivateKey = \(priv)
      ListenPort = 51820
      FwMark = 0xca6c

      [Peer]
      PublicKey = \(pub)
      PresharedKey = \(psk)
      AllowedIPs = 10.192.122.3/32, 10.192.124.1/24
      Endpoint = 127.0.0.1:51820
      PersistentKeepalive = 25

      [Peer]
      PublicKey = \(pub2)
      AllowedIPs = fd00::/64
      """)
    #expect(config.privateKey?.base64 == priv)
    #expect(config.listenPort == 51820)
    #expect(config.fwmark == 0xca6c)
    #expect(config.peers.count == 2)
    let p = config.peers[0]
    #expect(p.publicKey.base64 == pub)
    #expect(p.presharedKey?.base64 == psk)
    #expect(p.allowedIPs.map(\.description) == ["10.192.122.3/32", "10.192.124.1/24"])
    #expect(p.endpoint?.description == "127.0.0.1:51820")
    #expect(p.persistentKeepalive == 25)
    #expect(p.replaceAllowedIPs)
    #expect(config.peers[1].publicKey.base64 == pub2)
    #expect(
      config.peers[1].presharedKey == nil && config.peers[1].endpoint == nil
        && config.peers[1].persistentKeepalive == nil)
  }

  @Test func emptyFileIsAnEmptyConfig() throws {
    #expect(try parseConfig("") == ConfigFile())
    #expect(try parseConfig("\n\n# only comments\n   \t\n") == ConfigFile())
  }

  @Test func commentsRunFromHashToEndOfLineEvenInsideValues() throws {
    let config = try parseConfig(
      "[Interface] # the device\nListenPort = 51820#1234\n# ListenPort = 1\n")
    #expect(config.listenPort == 51820)
  }

  @Test func allWhitespaceIsDeletedAnywhereInTheLine() throws {
    let config = try parseConfig(
      "[ Inter face ]\n  Listen Port\t=\t5 1 8 2 0  \n Private\u{0B}Key = \(priv)\u{0C}\n")
    #expect(config.listenPort == 51820)
    #expect(config.privateKey?.base64 == priv)
  }

  @Test func crlfLineEndingsWork() throws {
    let config = try parseConfig(
      "[Interface]\r\nListenPort = 1\r\n[Peer]\r\nPublicKey = \(pub)\r\n")
    #expect(config.listenPort == 1)
    #expect(config.peers.first?.publicKey.base64 == pub)
  }

  @Test func sectionsAndKeysAreCaseInsensitive() throws {
    let config = try parseConfig(
      "[INTERFACE]\nlistenport = 1\nFWMARK = 2\n[peer]\npublickey = \(pub)\nALLOWEDIPS = 10.0.0.0/8\nendPoint = 127.0.0.1:3\npersistentKEEPALIVE = 4\npresharedkey = \(psk)\n"
    )
    #expect(config.listenPort == 1)
    #expect(config.fwmark == 2)
    let peer = try #require(config.peers.first)
    #expect(
      peer.allowedIPs.count == 1 && peer.endpoint?.port == 3 && peer.persistentKeepalive == 4
        && peer.presharedKey != nil)
  }

  @Test func keyBeforeAnySectionIsUnrecognized() {
    let error = configError("ListenPort = 1\n")
    #expect(error?.description == "Line unrecognized: `ListenPort=1'")
    #expect(error?.line == 1)
  }

  @Test func emptyValueIsUnrecognized() {
    #expect(
      configError("[Interface]\nPrivateKey =\n")?.description == "Line unrecognized: `PrivateKey='")
    #expect(
      configError("[Interface]\nPrivateKey = # none\n")?.description
        == "Line unrecognized: `PrivateKey='")
  }

  @Test func unknownKeysAreUnrecognized() {
    #expect(
      configError("[Interface]\nMTU = 1420\n")?.description == "Line unrecognized: `MTU=1420'")
    #expect(
      configError("[Peer]\nPublicKey=\(pub)\nFoo = 1\n")?.description
        == "Line unrecognized: `Foo=1'")
  }

  @Test func keysAreAcceptedOnlyInTheirSection() {
    #expect(
      configError("[Interface]\nAllowedIPs = 10.0.0.0/8\n")?.description
        == "Line unrecognized: `AllowedIPs=10.0.0.0/8'")
    #expect(
      configError("[Peer]\nPublicKey=\(pub)\nFwMark = 1\n")?.description
        == "Line unrecognized: `FwMark=1'")
  }

  @Test func allowedIPsLinesAccumulate() throws {
    let config = try parseConfig(
      "[Peer]\nPublicKey=\(pub)\nAllowedIPs = 10.0.0.0/8, 10.1.0.0/16\nAllowedIPs = fd00::/64\n")
    #expect(
      config.peers[0].allowedIPs.map(\.description) == ["10.0.0.0/8", "10.1.0.0/16", "fd00::/64"])
  }

  @Test func scalarsKeepTheLastValue() throws {
    let config = try parseConfig(
      "[Interface]\nListenPort = 1\nListenPort = 2\n[Peer]\nPublicKey = \(pub2)\nPublicKey = \(pub)\nPersistentKeepalive = 5\nPersistentKeepalive = off\n"
    )
    #expect(config.listenPort == 2)
    #expect(config.peers[0].publicKey.base64 == pub)
    #expect(config.peers[0].persistentKeepalive == 0)
  }

  @Test func repeatedInterfaceSectionsMerge() throws {
    let config = try parseConfig(
      "[Interface]\nListenPort = 1\n[Peer]\nPublicKey=\(pub)\n[Interface]\nFwMark = 3\n")
    #expect(config.listenPort == 1 && config.fwmark == 3 && config.peers.count == 1)
  }

  @Test func duplicatePeersAreAllKept() throws {
    let config = try parseConfig("[Peer]\nPublicKey=\(pub)\n[Peer]\nPublicKey=\(pub)\n")
    #expect(config.peers.count == 2)
  }

  @Test func everyPeerReplacesItsAllowedIPsUnlessIncremental() throws {
    let config = try parseConfig(
      """
      [Peer]
      PublicKey=\(pub)
      [Peer]
      PublicKey=\(pub2)
      AllowedIPs = -10.0.0.2/32
      [Peer]
      PublicKey=\(pub)
      AllowedIPs = +10.0.0.0/8
      AllowedIPs = 10.1.0.0/16
      """)
    #expect(config.peers[0].replaceAllowedIPs && config.peers[0].allowedIPs.isEmpty)
    #expect(!config.peers[1].replaceAllowedIPs)
    #expect(config.peers[1].allowedIPs.map(\.description) == ["-10.0.0.2/32"])
    #expect(config.peers[2].replaceAllowedIPs)
  }

  @Test func peerWithoutPublicKeyIsRejectedAfterTheWholeFile() {
    let error = configError("[Peer]\nAllowedIPs = 10.0.0.0/8\n[Peer]\nPublicKey = \(pub)\n")
    #expect(error?.error == .peerMissingPublicKey)
    #expect(error?.line == 1)
    #expect(error?.wgReport == "A peer is missing a public key\nInvalid configuration\n")
    // A bad line later on is reported first, as wg stops at it.
    #expect(
      configError("[Peer]\nAllowedIPs = 10.0.0.0/8\nbad\n")?.description
        == "Line unrecognized: `bad'")
  }

  @Test func privateKeyInAFileIsALiteralKey() {
    #expect(
      configError("[Interface]\nPrivateKey = /dev/null\n")?.description
        == "Key is not the correct length or format: `/dev/null'")
  }

  @Test func listenPortWrapsAsGlibcDoes() throws {
    #expect(try parseConfig("[Interface]\nListen Port = 70000\n").listenPort == 4464)
  }

  @Test func hostBitWarningsComeOutInOrder() throws {
    var warnings: [String] = []
    _ = try parseConfig(
      "[Peer]\nPublicKey=\(pub)\nAllowedIPs = 10.0.0.1/8\nAllowedIPs = fd00::1/64, 10.2.0.0/16\n",
      warnings: &warnings)
    #expect(
      warnings == [
        "Warning: AllowedIP has nonzero host part: 10.0.0.1/8",
        "Warning: AllowedIP has nonzero host part: fd00::1/64",
      ])
  }

  @Test func ipv6EndpointsInBrackets() throws {
    #expect(
      try parseConfig("[Peer]\nPublicKey=\(pub)\nEndpoint = [::1]:51820\n").peers[0].endpoint?
        .description == "[::1]:51820")
  }

  @Test func lineNumbersCountEveryLine() {
    let error = configError("# one\n\n[Interface]\r\n\nListenPort = x\n")
    #expect(error?.line == 5)
    #expect(error?.location == "t.conf:5")
    #expect(
      error?.wgReport
        == "Servname not supported for ai_socktype: `x'\nConfiguration parsing error\n")
  }

  @Test func lastLineWithoutNewlineIsRead() throws {
    #expect(try parseConfig("[Interface]\nListenPort = 9").listenPort == 9)
  }

  @Test func textAfterANulByteIsIgnoredAsInC() throws {
    let bytes = Array("[Interface]\nListenPort = 9".utf8) + [0] + Array("9x\nFwMark = 1\n".utf8)
    let config = try ConfigFile.parse(bytes)
    #expect(config.listenPort == 9)
    #expect(config.fwmark == 1)
  }

  @Test func invalidUTF8AndHugeLinesDoNotTrap() throws {
    var bytes: [UInt8] = Array("[Interface]\n".utf8) + [0xff, 0xfe, 0x80, 0x3d, 0xc3]
    #expect(throws: ConfigFileError.self) { try ConfigFile.parse(bytes) }
    bytes =
      Array("[Peer]\nPublicKey=\(pub)\nAllowedIPs=".utf8)
      + Array(repeating: UInt8(ascii: "1"), count: 1 << 20)
    #expect(throws: ConfigFileError.self) { try ConfigFile.parse(bytes) }
    bytes = Array(repeating: UInt8(ascii: "#"), count: 1 << 20)
    #expect(try ConfigFile.parse(bytes) == ConfigFile())
  }

  @Test func randomBytesNeverTrap() {
    var rng = SplitMix64(seed: 11)
    let pieces = [
      "[Interface]", "[Peer]", "PublicKey=\(pub)", "ListenPort=", "AllowedIPs=", "10.0.0.1/8", "=",
      "#", "\n", "\r\n", " ", ",", "-", "+", "/", ":", "[", "]", "\u{0}", "é", "FwMark=0x",
    ]
    for _ in 0..<3000 {
      var bytes: [UInt8] = []
      for _ in 0..<Int.random(in: 0..<20, using: &rng) {
        if Int.random(in: 0..<4, using: &rng) == 0 {
          bytes.append(UInt8.random(in: 0...255, using: &rng))
        } else {
          bytes += Array(pieces[Int.random(in: 0..<pieces.count, using: &rng)].utf8)
        }
      }
      _ = try? ConfigFile.parse(bytes, resolutionRetries: 0)
      _ = try? WgQuickConfig.parse(bytes)
    }
  }
}

@Suite struct ConfigChangeTests {
  let file = ConfigFile(
    listenPort: 51820, peers: [PeerChange(publicKey: .zero, replaceAllowedIPs: true)])

  @Test func setconfSendsEveryDeviceFieldAndReplacesPeers() {
    let change = file.asSetconfChange()
    #expect(change.privateKey == Key.zero)  // absent: identity removed
    #expect(change.listenPort == 51820)
    #expect(change.fwmark == 0)
    #expect(change.replacePeers)
    #expect(change.peers == file.peers)
    let empty = ConfigFile().asSetconfChange()
    #expect(
      empty.privateKey == Key.zero && empty.listenPort == 0 && empty.fwmark == 0
        && empty.replacePeers)
  }

  @Test func addconfSendsOnlyWhatTheFileSets() {
    let change = file.asAddconfChange()
    #expect(change.privateKey == nil)
    #expect(change.listenPort == 51820)
    #expect(change.fwmark == nil)
    #expect(!change.replacePeers)
    #expect(change.peers == file.peers)
    #expect(ConfigFile().asAddconfChange().isEmpty)
  }
}
