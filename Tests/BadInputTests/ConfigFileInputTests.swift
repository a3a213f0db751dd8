import Foundation
import SWGConfig
import Testing

/// Config files that `wg setconf` refuses, compared with the real wg's whole stderr.
struct BadConfig: CustomTestStringConvertible, Sendable {
  var name: String
  var bytes: [UInt8]
  var testDescription: String { name }
  init(_ name: String, _ text: String) { self.name = name; bytes = Array(text.utf8) }
  init(_ name: String, bytes: [UInt8]) { self.name = name; self.bytes = bytes }
}

private let key = BadKeys.privateKey
private let pub = BadKeys.publicKey

let badConfigs: [BadConfig] = [
  .init("missing section", "ListenPort = 1\n"),
  .init("key before section", "PrivateKey = \(key)\n[Interface]\n"),
  .init("unknown interface key", "[Interface]\nFoo = bar\n"),
  .init("unknown peer key", "[Peer]\nPublicKey = \(pub)\nFoo = bar\n"),
  .init("wg-quick key in wg file", "[Interface]\nAddress = 10.0.0.1/24\n"),
  .init("unknown section", "[Interfaces]\nListenPort = 1\n"),
  .init("peer without public key", "[Interface]\nListenPort = 1\n[Peer]\nAllowedIPs = 10.0.0.0/8\n"),
  .init("second peer without public key", "[Peer]\nPublicKey = \(pub)\n[Peer]\n"),
  .init("empty value", "[Interface]\nListenPort =\n"),
  .init("no equals", "[Interface]\nListenPort\n"),
  .init("bad port", "[Interface]\nListenPort = 7x\n"),
  .init("bad fwmark", "[Interface]\nFwMark = 0x1ffffffff\n"),
  .init("bad keepalive", "[Peer]\nPublicKey = \(pub)\nPersistentKeepalive = 70000\n"),
  .init("bad key", "[Interface]\nPrivateKey = \(key.dropLast(2))==\n"),
  .init("bad endpoint", "[Peer]\nPublicKey = \(pub)\nEndpoint = [::1\n"),
  .init("endpoint without port", "[Peer]\nPublicKey = \(pub)\nEndpoint = 127.0.0.1\n"),
  .init("allowed IP /33", "[Peer]\nPublicKey = \(pub)\nAllowedIPs = 10.0.0.0/33\n"),
  .init("allowed IP /129", "[Peer]\nPublicKey = \(pub)\nAllowedIPs = ::/129\n"),
  .init("allowed IP garbage", "[Peer]\nPublicKey = \(pub)\nAllowedIPs = 10.0.0.0/8, nonsense\n"),
  .init("invalid UTF-8 value", bytes: Array("[Interface]\nListenPort = ".utf8) + [0xff, 0xfe, 0x0a]),
  .init("invalid UTF-8 key", bytes: Array("[Interface]\n".utf8) + [0xc3, 0x28] + Array(" = 1\n".utf8)),
  .init("invalid UTF-8 section", bytes: [0x5b, 0xff, 0x5d, 0x0a]),
  .init("NUL inside a key", bytes: Array("[Interface]\nListen".utf8) + [0] + Array("Port = 1\n".utf8)),
  .init("NUL line then bad line", bytes: [0, 0, 0x0a] + Array("Port = 1\n".utf8)),
  .init("CR only line ends", "[Interface]\rListenPort = 1\r"),
  .init("10 MB key line", "[Interface]\nPrivateKey = " + String(repeating: "A", count: 10 << 20) + "\n"),
  .init("10 MB unknown line", "[Interface]\n" + String(repeating: "x", count: 10 << 20) + "\n"),
]

@Suite(.enabled(if: canUnshare, "needs root for network namespaces and /usr/bin/wg"))
struct ConfigFileInputTests {
  @Test(arguments: badConfigs)
  func refusedAsWgRefusesIt(_ c: BadConfig) throws {
    let safe = String(c.name.map { $0.isLetter || $0.isNumber ? $0 : "-" })
    let path = writeFile("conf-\(safe)", c.bytes)
    defer { unlink(path) }
    let wg = realWG(["setconf", noDevice, path])
    #expect(wg.status == 1)
    do throws(ConfigFileError) {
      _ = try ConfigFile.parse(c.bytes)
      Issue.record("swg accepted what wg refuses with: \(wg.stderrText.prefix(200))")
    } catch {
      // wg writes the offending text as raw bytes; compare as text (both decode the same).
      #expect(error.wgReport == wg.stderrText)
    }
  }
}

/// A wg-quick SaveConfig that is neither true nor false: the one error wg-quick parsing has.
@Test(arguments: ["yes", "1", "", "true false", "tru"])
func wgQuickSaveConfigRefused(_ value: String) throws {
  #expect(throws: ConfigFileError.self) {
    try WgQuickConfig.parse("[Interface]\nSaveConfig = \(value)\n")
  }
}
