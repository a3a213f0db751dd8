import Foundation
import SWGConfig
import SWGCore
import Testing

private let priv = TestKeys.privateText
private let pub = TestKeys.publicText

func quick(_ text: String) throws -> WgQuickConfig {
  try WgQuickConfig.parse(text, fileName: "wg0.conf")
}

func stripped(_ text: String) throws -> String {
  String(decoding: try quick(text).strippedText, as: UTF8.self)
}

/// One test per wg-quick parsing rule (linux.bash `parse_options`).
@Suite struct WgQuickConfigTests {
  let example = """
    [Interface]
    Address = 10.200.100.8/24, fd00::8/64
    Address = 10.0.0.1/32
    DNS = 10.200.100.1, fd00::1 corp.example,lab.example
    MTU = 1420
    Table = 1234
    PreUp = echo pre %i
    PostUp = iptables -A FORWARD -i %i -j ACCEPT; echo 'done' # note
    PreDown = echo down
    PostDown = echo gone
    SaveConfig = true
    PrivateKey = \(priv)

    [Peer]
    PublicKey = \(pub)
    AllowedIPs = 0.0.0.0/0
    """

  @Test func extraKeysAreParsed() throws {
    let config = try quick(example)
    #expect(config.addresses == ["10.200.100.8/24", "fd00::8/64", "10.0.0.1/32"])
    #expect(config.dnsServers == ["10.200.100.1", "fd00::1"])
    #expect(config.dnsSearchDomains == ["corp.example", "lab.example"])
    #expect(config.mtu == "1420")
    #expect(config.table == "1234")
    #expect(config.preUp == ["echo pre %i"])
    #expect(config.postDown == ["echo gone"])
    #expect(config.preDown == ["echo down"])
    #expect(config.saveConfig)
  }

  @Test func extraKeysAreStrippedAndTheRestKeptVerbatim() throws {
    #expect(
      try stripped(example)
        == "[Interface]\nPrivateKey = \(priv)\n\n[Peer]\nPublicKey = \(pub)\nAllowedIPs = 0.0.0.0/0\n\n"
    )
  }

  @Test func hooksKeepTheirComments() throws {
    #expect(
      try quick(example).postUp == ["iptables -A FORWARD -i %i -j ACCEPT; echo 'done' # note"])
    #expect(try quick("[Interface]\nPostUp=echo a#b\n").postUp == ["echo a#b"])
  }

  @Test func hooksRepeatInOrder() throws {
    #expect(
      try quick("[Interface]\nPostUp = a\nPostUp = b\npostup = c\n").postUp == ["a", "b", "c"])
  }

  @Test func keysAndSectionAreCaseInsensitive() throws {
    let config = try quick(
      "[INTERFACE]\naddress = 10.0.0.1/24\nmtu = 1280\ndns = 1.1.1.1\nTABLE = off\nsaveconfig = FALSE\n"
    )
    #expect(
      config.addresses == ["10.0.0.1/24"] && config.mtu == "1280"
        && config.dnsServers == ["1.1.1.1"] && config.table == "off")
    #expect(!config.saveConfig)
    #expect(config.wgConfig == Array("[INTERFACE]\n".utf8))
  }

  @Test func extraKeysOutsideInterfacePassThroughToWg() throws {
    let config = try quick("[Peer]\nAddress = 10.0.0.1/24\nDNS = 1.1.1.1\n")
    #expect(config.addresses.isEmpty && config.dnsServers.isEmpty)
    #expect(try stripped("[Peer]\nAddress = 10.0.0.1/24\n") == "[Peer]\nAddress = 10.0.0.1/24\n\n")
    // …where wg then rejects them.
    #expect(throws: ConfigFileError.self) { try config.wireGuardConfig(resolutionRetries: 0) }
  }

  @Test func anyBracketedKeyEndsTheInterfaceSection() throws {
    let config = try quick("[Interface]\n[Whatever]\nMTU = 1\n[ Interface ]\nMTU = 2\n")
    #expect(config.mtu == nil)
    #expect(
      try stripped("[Interface]\n[Whatever]\nMTU = 1\n") == "[Interface]\n[Whatever]\nMTU = 1\n\n")
  }

  @Test func dnsSplitsServersFromSearchDomains() throws {
    let config = try quick(
      "[Interface]\nDNS = 1.2.3.4,fd00::53\tdomain.example , 10.0.0.1.,1.2.3.4a, ::\n")
    #expect(config.dnsServers == ["1.2.3.4", "fd00::53", "10.0.0.1.", "::"])
    #expect(config.dnsSearchDomains == ["domain.example", "1.2.3.4a"])
  }

  @Test func addressListsSplitOnCommasAndBlanks() throws {
    #expect(try quick("[Interface]\nAddress=a,b c\td,,e\n").addresses == ["a", "b", "c", "d", "e"])
  }

  @Test func scalarKeysKeepTheLastValue() throws {
    let config = try quick(
      "[Interface]\nMTU = 1\nMTU = 2\nTable = a\nTable = b\nSaveConfig = true\nSaveConfig = false\n"
    )
    #expect(config.mtu == "2" && config.table == "b" && !config.saveConfig)
  }

  @Test func saveConfigMustBeTrueOrFalse() {
    #expect(throws: ConfigFileError.self) { try quick("[Interface]\nSaveConfig = yes\n") }
    do {
      _ = try WgQuickConfig.parse("[Interface]\n\nSaveConfig = yes # sure\n")
      Issue.record("accepted")
    } catch {
      #expect(error.description == "wg-quick: `yes' is neither true nor false")
      #expect(error.line == 3)
    }
  }

  @Test func commentsAndSpacingOfWgLinesArePreserved() throws {
    #expect(
      try stripped("# top\n[Interface]\nPrivateKey   =  \(priv)   # mine\n\n")
        == "# top\n[Interface]\nPrivateKey   =  \(priv)   # mine\n\n\n")
  }

  @Test func readTrimsLeadingAndTrailingBlanksOnly() throws {
    #expect(try stripped("  \t[Peer]  \t\nPublicKey = x \r\n") == "[Peer]\nPublicKey = x \r\n\n")
  }

  @Test func nulBytesAreDropped() throws {
    let config = try WgQuickConfig.parse(
      Array("[Interface]\nMT".utf8) + [0] + Array("U = 1\nPrivate\u{0}Key = x\n".utf8))
    #expect(config.mtu == "1")
    #expect(config.wgConfig == Array("[Interface]\nPrivateKey = x\n".utf8))
  }

  @Test func unterminatedLastLineCountsOnlyIfNotBlank() throws {
    #expect(try stripped("[Peer]\nPublicKey = x") == "[Peer]\nPublicKey = x\n\n")
    #expect(try stripped("[Peer]\n  \t") == "[Peer]\n\n")
    #expect(try stripped("") == "\n")
  }

  @Test func linesWithoutEqualsUseTheWholeLineAsKeyAndValue() throws {
    let config = try quick("[Interface]\nAddress\n")
    #expect(config.addresses == ["Address"])
  }

  @Test func strippedTextFeedsTheWgParser() throws {
    let wg = try quick(example).wireGuardConfig(resolutionRetries: 0)
    #expect(wg.privateKey?.base64 == priv)
    #expect(wg.peers.map(\.publicKey.base64) == [pub])
  }
}
