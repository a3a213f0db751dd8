import SWGCore
import Testing

@testable import SWGConfig

/// `setconf` parses a file as it reads it, in 64 KiB chunks; lines may span chunks. Feeding
/// any split of a file must give what parsing it whole gives: the same file, or the same
/// error on the same line, with the same warnings.
@Suite struct ConfigStreamTests {
  struct Outcome: Equatable {
    var file: ConfigFile?
    var error: ConfigFileError?
    var warnings: [String]
  }

  func whole(_ text: [UInt8]) -> Outcome {
    var warnings: [String] = []
    do {
      let f = try ConfigFile.parse(text, fileName: "t.conf", resolutionRetries: 0) {
        warnings.append(String(decoding: $0.message, as: UTF8.self))
      }
      return Outcome(file: f, error: nil, warnings: warnings)
    } catch {
      return Outcome(file: nil, error: error, warnings: warnings)
    }
  }

  func chunked(_ text: [UInt8], cuts: [Int]) -> Outcome {
    var warnings: [String] = []
    func warn(_ w: ConfigWarning) { warnings.append(String(decoding: w.message, as: UTF8.self)) }
    let parser = ConfigFileStreamParser(fileName: "t.conf", resolutionRetries: 0)
    var start = 0
    do throws(ConfigFileError) {
      for cut in cuts + [text.count] where cut >= start {
        try text[start..<cut].withUnsafeBufferPointer { (b) throws(ConfigFileError) in
          try parser.feed(b, warn: warn)
        }
        start = cut
      }
      return Outcome(file: try parser.finish(warn: warn), error: nil, warnings: warnings)
    } catch {
      return Outcome(file: nil, error: error, warnings: warnings)
    }
  }

  static let keys = (0..<6).map { i in
    Key(bytes: [UInt8](repeating: UInt8(i * 37 + 1), count: 32))!.base64
  }

  static let texts: [String] = [
    "[Interface]\nPrivateKey = \(keys[0])\nListenPort = 51820\nFwMark = 0x10\n\n[Peer]\n"
      + "PublicKey = \(keys[1])\nPresharedKey = \(keys[2])\nAllowedIPs = 10.0.0.0/8, fd00::/64 # c\n"
      + "AllowedIPs = +192.168.1.1/32,-10.9.0.0/16\nEndpoint = 127.0.0.1:51000\nPersistentKeepalive = 25\n"
      + "[Peer]\r\nPublicKey = \(keys[3])\r\nAllowedIPs = 10.1.2.3/24\r\nEndpoint = [::1]:7",
    "[Interface]\nPrivateKey = \(keys[0])\n[Peer]\nPublicKey = \(keys[1])\nAllowedIPs = 10.0.0.1/33\n",
    "[Peer]\nPublicKey = \(keys[1])\n[Peer]\nAllowedIPs = 10.0.0.0/8\n[Peer]\nPublicKey = \(keys[4])\n",
    "# only a comment\n\n   \n[Interface]\nListenPort=1\nBogus = 1\n",
    "[Interface]\nPrivateKey = \(keys[0])#x\u{0}junk\n[Peer]\nPublicKey=\(keys[5])\nAllowedIPs=fd00:1::\u{0}/200\n",
    "[Interface]\nPrivateKey = \(keys[0])\n[Peer]\nPublicKey = \(keys[1])\nAllowedIPs = "
      + (0..<300).map { "10.\($0 / 256).\($0 % 256).7/24" }.joined(separator: ", ") + "\n",
    "[Peer]\nPublicKey = \(keys[1])\nPresharedKey = short\n",
    "",
    "\n\n\n",
    "[Interface]",
  ]

  @Test(arguments: texts.indices)
  func everySplitParsesAsTheWholeFile(_ index: Int) {
    let text = Array(Self.texts[index].utf8)
    let expected = whole(text)
    // Every single cut point, then random multi-cut splits.
    for cut in 0...text.count {
      #expect(chunked(text, cuts: [cut]) == expected, "cut at \(cut)")
    }
    var rng = SystemRandomNumberGenerator()
    for _ in 0..<200 {
      let cuts = (0..<Int.random(in: 1...12, using: &rng)).map { _ in
        Int.random(in: 0...text.count, using: &rng)
      }.sorted()
      #expect(chunked(text, cuts: cuts) == expected, "cuts \(cuts)")
    }
  }

  @Test func byteAtATimeKeepsLineNumbers() {
    let text = Array("[Interface]\n\n# c\nListenPort = 1\n[Peer]\nPublicKey = nope\n".utf8)
    let outcome = chunked(text, cuts: Array(0...text.count))
    #expect(outcome.error?.line == 6)
    #expect(outcome == whole(text))
  }
}
