import Foundation
import SWGConfig
import Testing

/// Random wg-quick configs built from the pieces that matter to `parse_options`: keys in any
/// case, spacing, comments, `=` in values, CR, NUL and non-UTF-8 bytes, unterminated lines.
func randomWgQuickConfig(_ rng: inout SplitMix64) -> [UInt8] {
  func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &rng)] }
  func randomCase(_ s: String) -> String {
    String(
      s.map { c in Bool.random(using: &rng) ? Character(c.uppercased()) : Character(c.lowercased())
      })
  }
  let keys = [
    "Address", "DNS", "MTU", "Table", "PreUp", "PostUp", "PreDown", "PostDown", "SaveConfig",
    "PrivateKey", "ListenPort", "PublicKey", "AllowedIPs", "Endpoint", "FwMark", "Foo",
  ]
  let sections = [
    "[Interface]", "[Peer]", "[interface]", "[ Interface ]", "[Interface]#c", "[Interface] = x",
    "[Peer", "[x]",
  ]
  let separators = [" = ", "=", " =", "= ", "\t=\t", "", " == ", " : "]
  let values = [
    "10.0.0.1/24", "10.0.0.1/24, fd00::1/64", "1.1.1.1,example.com", "1420", "off", "auto",
    "echo hi # c", "a=b", "iptables -A x; echo 'y'", "true", "false", "TRUE", "False", "", "  ",
    "yes", "#", "x # y = z", "\(TestKeys.publicText)", "127.0.0.1:51820", "\\t\\n", "$(echo x)",
  ]
  var out: [UInt8] = []
  for _ in 0..<Int.random(in: 0..<14, using: &rng) {
    var line = ""
    switch Int.random(in: 0..<10, using: &rng) {
    case 0: line = randomCase(pick(sections))
    case 1: line = ""
    case 2: line = "# " + pick(values)
    default: line = randomCase(pick(keys)) + pick(separators) + pick(values)
    }
    if Int.random(in: 0..<4, using: &rng) == 0 {
      line = pick([" ", "\t", "  \t", "\u{0B}"]) + line
    }
    if Int.random(in: 0..<4, using: &rng) == 0 { line += pick([" ", "\t", "\r", " \r", "\u{0C}"]) }
    var bytes = Array(line.utf8)
    if Int.random(in: 0..<15, using: &rng) == 0 {
      bytes.insert(0, at: Int.random(in: 0...bytes.count, using: &rng))
    }
    if Int.random(in: 0..<15, using: &rng) == 0 {
      bytes.insert(
        pick([0xff, 0xc3, 0x80, 0xfe]), at: Int.random(in: 0...bytes.count, using: &rng))
    }
    out += bytes
    out.append(UInt8(ascii: "\n"))
  }
  // Make a bad SaveConfig rare enough that most files exercise strip output.
  if let range = findBadSaveConfig(out), Int.random(in: 0..<4, using: &rng) == 0 {
    out.removeSubrange(range)
  }
  if Bool.random(using: &rng), !out.isEmpty { out.removeLast() }
  return out
}

/// The first line mentioning SaveConfig with a value other than true/false, if any.
private func findBadSaveConfig(_ bytes: [UInt8]) -> Range<Int>? {
  var start = 0
  while start < bytes.count {
    let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
    let line = String(decoding: bytes[start..<end], as: UTF8.self).lowercased()
    if line.contains("saveconfig") && !(line.contains("true") || line.contains("false")) {
      return start..<min(end + 1, bytes.count)
    }
    start = end + 1
  }
  return nil
}

@Suite struct StripOracleTests {
  @Test(
    .enabled(
      if: Oracle.wgQuickAvailable,
      "needs /usr/bin/wg-quick and root (it re-executes itself with sudo otherwise)"))
  func stripMatchesRealWgQuickByteForByte() throws {
    let dir = try TempDir()
    var rng = SplitMix64(seed: 31)
    var compared = 0
    var failures = 0
    var stripped = 0
    let fixed: [[UInt8]] = [
      [], Array("\n".utf8), Array("[Interface]".utf8),
      Array("[Interface]\nAddress = 10.0.0.1/24\nPrivateKey = x\n[Peer]\nAddress = y\n".utf8),
      Array("  [Interface]  \n\tPostUp = echo hi # c\n  # comment  \nPrivateKey = abc".utf8) + [0]
        + Array("def\nfoo\\bar\n".utf8) + [0xff, 0xfe]
        + Array(" line\r\n[Peer]\nAddress = x\nlast".utf8),
      Array("[Interface]\nSaveConfig = maybe\n".utf8),
      Array("[Interface]\nSaveConfig = True\nsaveconfig=FALSE\n".utf8),
    ]
    var inputs = fixed
    for _ in 0..<400 { inputs.append(randomWgQuickConfig(&rng)) }
    for (i, input) in inputs.enumerated() {
      let path = try dir.write("wg\(i % 7).conf", input)
      let real = try Oracle.run(Oracle.wgQuick, ["strip", path])
      compared += 1
      do {
        let ours = try WgQuickConfig.parse(input, fileName: path)
        stripped += 1
        if real.status != 0 || real.stdout != ours.strippedText {
          failures += 1
          Issue.record(
            "strip differs for \(String(decoding: input, as: UTF8.self).debugDescription): wg-quick \(String(decoding: real.stdout, as: UTF8.self).debugDescription) rc \(real.status), swg \(String(decoding: ours.strippedText, as: UTF8.self).debugDescription)"
          )
        }
      } catch {
        let lastLine = real.stderrText.split(separator: "\n").last.map(String.init) ?? ""
        if real.status != 1 || lastLine != error.description {
          failures += 1
          Issue.record(
            "error differs for \(String(decoding: input, as: UTF8.self).debugDescription): wg-quick \(real.stderrText.debugDescription) rc \(real.status), swg \(error.description)"
          )
        }
      }
      if failures > 5 { break }
    }
    #expect(compared == inputs.count)
    print("strip oracle: \(compared) files, \(stripped) stripped, \(compared - stripped) rejected")
    // Both paths must be exercised for the comparison to mean something.
    #expect(stripped > 200)
    #expect(compared - stripped >= 5)
  }
}
