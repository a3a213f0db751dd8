import Foundation
import SWGConfig
import SWGCore
import Testing

/// A config file wg rejects, with the exact message wg prints for it.
struct MalformedConfig: CustomTestStringConvertible, Sendable {
  var text: [UInt8]
  var message: String
  /// The line the error is reported at.
  var line: Int
  /// Behaviour of upstream wireguard-tools that Debian's 1.0.20210914 lacks, so the
  /// installed wg cannot confirm it.
  var upstreamOnly = false

  init(_ text: String, _ message: String, line: Int, upstreamOnly: Bool = false) {
    self.text = Array(text.utf8)
    self.message = message
    self.line = line
    self.upstreamOnly = upstreamOnly
  }

  init(bytes: [UInt8], _ message: String, line: Int) {
    self.text = bytes
    self.message = message
    self.line = line
  }

  var testDescription: String { String(decoding: text, as: UTF8.self).debugDescription }
}

private let priv = TestKeys.privateText
private let pub = TestKeys.publicText
private let peer = "[Peer]\nPublicKey = \(pub)\n"

let malformedConfigs: [MalformedConfig] = [
  // Sections and keys
  .init("PrivateKey = \(priv)\n", "Line unrecognized: `PrivateKey=\(priv)'", line: 1),
  .init("# c\n\nListenPort = 1\n[Interface]\n", "Line unrecognized: `ListenPort=1'", line: 3),
  .init(
    "[Interface]\nAddress = 10.0.0.1/24\n", "Line unrecognized: `Address=10.0.0.1/24'", line: 2),
  .init("[Interface]\r\nDNS = 1.1.1.1\r\n", "Line unrecognized: `DNS=1.1.1.1'", line: 2),
  .init("[Interface]\nListenPort =\n", "Line unrecognized: `ListenPort='", line: 2),
  .init("[Interface]\nListenPort = # 51820\n", "Line unrecognized: `ListenPort='", line: 2),
  .init("[Interface]\nListenPort 51820\n", "Line unrecognized: `ListenPort51820'", line: 2),
  .init("[Interface]\nListenPort: 51820\n", "Line unrecognized: `ListenPort:51820'", line: 2),
  .init("[Interface]\nPublicKey = \(pub)\n", "Line unrecognized: `PublicKey=\(pub)'", line: 2),
  .init(
    "[Interface]\nEndpoint = 127.0.0.1:1\n", "Line unrecognized: `Endpoint=127.0.0.1:1'", line: 2),
  .init("[Interfaces]\n", "Line unrecognized: `[Interfaces]'", line: 1),
  .init("[Interface\nListenPort = 1\n", "Line unrecognized: `[Interface'", line: 1),
  .init("Interface\n", "Line unrecognized: `Interface'", line: 1),
  .init("[Peer]\nListenPort = 1\n", "Line unrecognized: `ListenPort=1'", line: 2),
  .init(peer + "AllowedIPs =\n", "Line unrecognized: `AllowedIPs='", line: 3),
  .init(peer + "Allowed IPs : 10.0.0.0/8\n", "Line unrecognized: `AllowedIPs:10.0.0.0/8'", line: 3),
  .init(peer + "PrivateKey = \(priv)\n", "Line unrecognized: `PrivateKey=\(priv)'", line: 3),
  .init(
    bytes: Array("[Interface]\nAddr".utf8) + [0] + Array("ess = 1\n".utf8),
    "Line unrecognized: `Addr'", line: 2),
  .init(
    bytes: Array("[Interface]\n".utf8) + [0xff, 0xfe] + Array(" = 1\n".utf8),
    "Line unrecognized: `\u{FFFD}\u{FFFD}=1'", line: 2),
  .init(
    bytes: Array("[Peer]\nPublicKey = \(pub)\nAllowedIPs = 10.0.0.".utf8) + [0xc3]
      + Array("\n".utf8),
    "Unable to parse IP address: `10.0.0.\u{FFFD}'", line: 3),
  // Ports
  .init(
    "[Interface]\nListenPort = abc\n", "Servname not supported for ai_socktype: `abc'", line: 2),
  .init(
    "[Interface]\nListenPort = 51820x\n", "Servname not supported for ai_socktype: `51820x'",
    line: 2),
  // Fwmarks
  .init(
    "[Interface]\nFwMark = 0x1ffffffff\n",
    "Fwmark is neither 0/off nor 0-0xffffffff: `0x1ffffffff'", line: 2),
  .init(
    "[Interface]\nFwMark = 4294967296\n", "Fwmark is neither 0/off nor 0-0xffffffff: `4294967296'",
    line: 2),
  .init("[Interface]\nFwMark = -1\n", "Fwmark is neither 0/off nor 0-0xffffffff: `-1'", line: 2),
  .init(
    "[Interface]\nFwMark = 0X10\n", "Fwmark is neither 0/off nor 0-0xffffffff: `0X10'", line: 2),
  .init("[Interface]\nFwMark = 0x\n", "Fwmark is neither 0/off nor 0-0xffffffff: `0x'", line: 2),
  .init("[Interface]\nFwMark = 0xg\n", "Fwmark is neither 0/off nor 0-0xffffffff: `0xg'", line: 2),
  .init(
    "[Interface]\nFwMark = offf\n", "Fwmark is neither 0/off nor 0-0xffffffff: `offf'", line: 2),
  .init("[Interface]\nFwMark = 1e3\n", "Fwmark is neither 0/off nor 0-0xffffffff: `1e3'", line: 2),
  // Keys
  .init(
    "[Interface]\nPrivateKey = abc\n", "Key is not the correct length or format: `abc'", line: 2),
  .init(
    "[Interface]\nPrivateKey = \(priv.dropLast())\n",
    "Key is not the correct length or format: `\(priv.dropLast())'", line: 2),
  .init(
    "[Interface]\nPrivateKey = \(priv)=\n", "Key is not the correct length or format: `\(priv)='",
    line: 2
  ),
  .init(
    "[Interface]\nPrivateKey == \(priv)\n", "Key is not the correct length or format: `=\(priv)'",
    line: 2
  ),
  .init(
    "[Interface]\nPrivateKey = AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB=\n",
    "Key is not the correct length or format: `AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB='",
    line: 2),
  .init("[Peer]\nPublicKey = abc\n", "Key is not the correct length or format: `abc'", line: 2),
  .init(
    peer + "PresharedKey = short\n", "Key is not the correct length or format: `short'", line: 3),
  // Peers
  .init("[Peer]\nAllowedIPs = 10.0.0.0/8\n", "A peer is missing a public key", line: 1),
  .init(peer + "\n[Peer]\nEndpoint = 127.0.0.1:1\n", "A peer is missing a public key", line: 4),
  .init("[Interface]\n[Peer]\n", "A peer is missing a public key", line: 2),
  // Allowed IPs
  .init(
    peer + "AllowedIPs = 10.0.0.1/33\n", "AllowedIP is not in the correct format: `10.0.0.1/33'",
    line: 3),
  .init(
    peer + "AllowedIPs = fd00::/129\n", "AllowedIP is not in the correct format: `fd00::/129'",
    line: 3),
  .init(
    peer + "AllowedIPs = 10.0.0.0/\n", "AllowedIP is not in the correct format: `10.0.0.0/'",
    line: 3),
  .init(
    peer + "AllowedIPs = 10.0.0.0/-1\n", "AllowedIP is not in the correct format: `10.0.0.0/-1'",
    line: 3),
  .init(
    peer + "AllowedIPs = 10.0.0.0/8/8\n", "AllowedIP is not in the correct format: `10.0.0.0/8/8'",
    line: 3),
  .init(
    peer + "AllowedIPs = 10.0.0.0/0x8\n", "AllowedIP is not in the correct format: `10.0.0.0/0x8'",
    line: 3),
  .init(
    peer + "AllowedIPs = 10.0.0.0/99999999999999999999999\n",
    "AllowedIP is not in the correct format: `10.0.0.0/99999999999999999999999'", line: 3),
  .init(peer + "AllowedIPs = 10.0.0.x/24\n", "Unable to parse IP address: `10.0.0.x'", line: 3),
  .init(peer + "AllowedIPs = 1.2.3\n", "Unable to parse IP address: `1.2.3'", line: 3),
  .init(peer + "AllowedIPs = 010.0.0.1\n", "Unable to parse IP address: `010.0.0.1'", line: 3),
  .init(
    peer + "AllowedIPs = fe80::1%lo/128\n", "Unable to parse IP address: `fe80::1%lo'", line: 3),
  .init(peer + "AllowedIPs = 10.0.0.0/8,\n", "Unable to parse IP address: `'", line: 3),
  .init(peer + "AllowedIPs = ,10.0.0.0/8\n", "Unable to parse IP address: `'", line: 3),
  .init(
    peer + "AllowedIPs = 10.0.0.0/8 fd00::/64\n",
    "AllowedIP is not in the correct format: `10.0.0.0/8fd00::/64'", line: 3),
  .init(
    peer + "AllowedIPs = 10.0.0.1/24\nAllowedIPs = bad\n",
    "Warning: AllowedIP has nonzero host part: 10.0.0.1/24\nUnable to parse IP address: `bad'",
    line: 4),
  .init(
    peer + "AllowedIPs = +-10.0.0.0/8\n", "Unable to parse IP address: `-10.0.0.0'", line: 3,
    upstreamOnly: true),
  .init(
    peer + "AllowedIPs = -10.0.0.0/33\n", "AllowedIP is not in the correct format: `10.0.0.0/33'",
    line: 3, upstreamOnly: true),
  // Endpoints
  .init(peer + "Endpoint = 127.0.0.1\n", "Unable to find port of endpoint: `127.0.0.1'", line: 3),
  .init(peer + "Endpoint = 127.0.0.1:\n", "Unable to find port of endpoint: `127.0.0.1:'", line: 3),
  .init(peer + "Endpoint = [::1\n", "Unable to find matching brace of endpoint: `[::1'", line: 3),
  .init(peer + "Endpoint = [::1]\n", "Unable to find port of endpoint: `[::1]'", line: 3),
  .init(peer + "Endpoint = [::1]:\n", "Unable to find port of endpoint: `[::1]:'", line: 3),
  .init(
    peer + "Endpoint = [::1]x51820\n", "Unable to find port of endpoint: `[::1]x51820'", line: 3),
  .init(
    peer + "Endpoint = 127.0.0.1:nosuchservice\n",
    "Servname not supported for ai_socktype: `127.0.0.1:nosuchservice'", line: 3),
  // Persistent keepalive
  .init(
    peer + "PersistentKeepalive = 70000\n",
    "Persistent keepalive interval is neither 0/off nor 1-65535: `70000'", line: 3),
  .init(
    peer + "PersistentKeepalive = 65536\n",
    "Persistent keepalive interval is neither 0/off nor 1-65535: `65536'", line: 3),
  .init(
    peer + "PersistentKeepalive = -1\n",
    "Persistent keepalive interval is neither 0/off nor 1-65535: `-1'", line: 3),
  .init(
    peer + "PersistentKeepalive = 25s\n",
    "Persistent keepalive interval is neither 0/off nor 1-65535: `25s'", line: 3),
  .init(
    peer + "PersistentKeepalive = of\n",
    "Persistent keepalive interval is neither 0/off nor 1-65535: `of'", line: 3),
  .init(
    peer + "PersistentKeepalive = 0x19\n",
    "Persistent keepalive interval is neither 0/off nor 1-65535: `0x19'", line: 3),
]

@Suite struct MalformedConfigTests {
  @Test func tableIsLargeEnough() {
    #expect(malformedConfigs.count >= 40)
  }

  @Test(arguments: malformedConfigs)
  func swgRejectsWithWgsMessage(_ config: MalformedConfig) throws {
    let (stderr, _, error) = wgStyleStderr(config.text)
    let trailer =
      config.message.hasSuffix("A peer is missing a public key")
      ? "Invalid configuration" : "Configuration parsing error"
    #expect(stderr == config.message + "\n" + trailer + "\n")
    let failure = try #require(error)
    #expect(failure.line == config.line)
    #expect(failure.fileName == "test.conf")
    #expect(failure.location == "test.conf:\(config.line)")
  }

  @Test(
    .enabled(
      if: Oracle.wgAvailable, "wg (wireguard-tools) is not installed: expected texts not re-checked"
    ),
    arguments: malformedConfigs.filter { !$0.upstreamOnly })
  func realWgPrintsTheSameForSetconfAndAddconf(_ config: MalformedConfig) throws {
    let dir = try TempDir()
    let file = try dir.write("c.conf", config.text)
    let ours = wgStyleStderr(config.text).bytes
    for command in ["setconf", "addconf"] {
      let wg = try Oracle.wgConf(command, file: file)
      #expect(wg.status == 1)
      #expect(wg.stderr == ours, "\(command): \(wg.stderrText)")
    }
  }
}
