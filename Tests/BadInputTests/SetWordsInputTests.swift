import Foundation
import SWGConfig
import Testing

/// `wg set` words that wg refuses, compared with the real wg: same message, and swg's
/// parser throws (no trap, nothing applied: parsing happens before any device is touched).
/// Endpoints here are numeric only, so no name lookup happens in this process.
struct BadSetWords: CustomTestStringConvertible, Sendable {
  var words: [String]
  var testDescription: String { words.joined(separator: " ") }
  init(_ words: String...) { self.words = words }
}

private let peer = BadKeys.publicKey

let badSetWords: [BadSetWords] = [
  // Keys.
  .init("peer", "AAAA"),
  .init("peer", peer + "A"),
  .init("peer", String(peer.dropFirst())),
  .init("peer", "HIgo9xNzJMWLKASShiTqIybx!0U3wGLiUeJ1PKf8ykw="),
  .init("peer", String(peer.dropLast()) + "A"),
  .init("peer", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB="),
  .init("peer", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=="),
  .init("peer", ""),
  .init("peer", String(repeating: "A", count: 4096)),
  .init("private-key", BadKeys.privateKey),
  // Ports.
  .init("listen-port", "65536x"),
  .init("listen-port", "-1"),
  .init("listen-port", ""),
  .init("listen-port", "notaservice"),
  .init("listen-port", "99999999999999999999"),
  // Fwmarks.
  .init("fwmark", "4294967296"),
  .init("fwmark", "0x100000000"),
  .init("fwmark", "-1"),
  .init("fwmark", "on"),
  .init("fwmark", ""),
  .init("fwmark", "0x"),
  .init("fwmark", "1 2"),
  // Keepalive.
  .init("peer", peer, "persistent-keepalive", "65536"),
  .init("peer", peer, "persistent-keepalive", "-1"),
  .init("peer", peer, "persistent-keepalive", "on"),
  .init("peer", peer, "persistent-keepalive", ""),
  .init("peer", peer, "persistent-keepalive", "0x10"),
  // Endpoints.
  .init("peer", peer, "endpoint", "127.0.0.1"),
  .init("peer", peer, "endpoint", "127.0.0.1:"),
  .init("peer", peer, "endpoint", "[::1:5"),
  .init("peer", peer, "endpoint", "[::1]"),
  .init("peer", peer, "endpoint", "[::1]5"),
  .init("peer", peer, "endpoint", ""),
  // (No bad service names: wg retries those for two minutes; the CLI suite has them.)
  // Allowed IPs.
  .init("peer", peer, "allowed-ips", "10.0.0.0/33"),
  .init("peer", peer, "allowed-ips", "fd00::/129"),
  .init("peer", peer, "allowed-ips", "garbage"),
  .init("peer", peer, "allowed-ips", "10.0.0.0/"),
  .init("peer", peer, "allowed-ips", "10.0.0.0/-1"),
  .init("peer", peer, "allowed-ips", "1.2.3/24"),
  .init("peer", peer, "allowed-ips", "256.0.0.0/8"),
  .init("peer", peer, "allowed-ips", "10.0.0.0/8,,10.1.0.0/16"),
  .init("peer", peer, "allowed-ips", "::/0x10"),
  .init("peer", peer, "allowed-ips", "10.0.0.0/8,10.0.0.0/40"),
  .init("peer", peer, "allowed-ips", "fd00::1::2/64"),
  .init("peer", peer, "allowed-ips", "10.0.0.1/4294967328"),
  // Grammar.
  .init("frobnicate", "1"),
  .init("peer", peer, "listen-port", "1"),
  .init("remove"),
  .init("listen-port"),
  .init("peer"),
  .init("peer", peer, "endpoint"),
]

struct BadKeyFile: CustomTestStringConvertible, Sendable {
  var name: String
  var content: [UInt8]
  var testDescription: String { name }
}

private let keyText = BadKeys.privateKey
let badKeyFiles: [BadKeyFile] = [
  BadKeyFile(name: "short", content: Array(keyText.prefix(40).utf8)),
  BadKeyFile(name: "long", content: Array((keyText + "A\n").utf8)),
  BadKeyFile(name: "trailing", content: Array((keyText + " x\n").utf8)),
  BadKeyFile(name: "trailing-nul", content: Array((keyText + "\n").utf8) + [0]),
  BadKeyFile(name: "badbase64", content: Array(("!" + keyText.dropFirst()).utf8)),
  BadKeyFile(name: "noncanonical", content: Array("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB=\n".utf8)),
]

@Suite(.enabled(if: canUnshare, "needs root for network namespaces and /usr/bin/wg"))
struct SetWordsInputTests {
  @Test(arguments: badSetWords)
  func refusedAsWgRefusesIt(_ c: BadSetWords) throws {
    let wg = realWG(["set", noDevice] + c.words)
    #expect(wg.status == 1)
    let message = wg.stderrText.split(separator: "\n").first.map(String.init) ?? ""
    do throws(ConfigError) {
      _ = try SetArguments.parse(c.words)
      Issue.record("swg accepted what wg refuses with: \(message)")
    } catch {
      #expect(error.description == message)
    }
  }

  /// Key files: short, long, garbage after the key, bad base64, missing, a directory.
  @Test(arguments: badKeyFiles)
  func keyFileRefused(_ file: BadKeyFile) throws {
    let (name, content) = (file.name, file.content)
    let path = writeFile("key-\(name)", content)
    for word in ["private-key", "preshared-key"] {
      let words = word == "private-key" ? [word, path] : ["peer", peer, word, path]
      let wg = realWG(["set", noDevice] + words)
      #expect(wg.status == 1)
      let message = wg.stderrText.split(separator: "\n").first.map(String.init) ?? ""
      #expect(throws: ConfigError.self) { try SetArguments.parse(words) }
      do throws(ConfigError) { _ = try SetArguments.parse(words) } catch {
        #expect(error.description == message, "\(name) as \(word)")
      }
    }
  }

  @Test func missingAndDirectoryKeyFiles() throws {
    for path in [scratch + "/no-such-key", "/"] {
      let wg = realWG(["set", noDevice, "private-key", path])
      #expect(wg.status == 1)
      let message = wg.stderrText.split(separator: "\n").first.map(String.init) ?? ""
      do throws(ConfigError) {
        _ = try SetArguments.parse(["private-key", path])
        Issue.record("swg read \(path) as a key")
      } catch {
        #expect(error.description == message)
      }
    }
  }
}

/// Key files are read with a cap: a sparse 1 GB file is refused without reading it all.
@Test func hugeKeyFileRefusedQuickly() throws {
  let path = writeFile("key-huge", Array((BadKeys.privateKey + "\n").utf8))
  #expect(truncate(path, 1 << 30) == 0)
  let started = ContinuousClock.now
  #expect(throws: ConfigError.self) { try ConfigValue.keyFile(path: path) }
  #expect(ContinuousClock.now - started < .seconds(2))
  // Whitespace only after the key, but far more than a key file holds: refused by the cap
  // (wg would read on to the end).
  let spaces = writeFile("key-spaces", Array((BadKeys.privateKey + "\n").utf8) + [UInt8](repeating: 0x20, count: 3 << 20))
  #expect(throws: ConfigError.self) { try ConfigValue.keyFile(path: spaces) }
  unlink(path)
  unlink(spaces)
}
