import Glibc
import SWGCore
import Testing

/// The byte parser must accept exactly what inet_pton(AF_INET) accepts.
@Suite struct IPv4TextTests {
  static let samples = [
    "0.0.0.0", "255.255.255.255", "10.0.0.1", "1.2.3.4", "01.2.3.4", "1.2.3.04", "256.1.1.1",
    "1.2.3", "1.2.3.4.5", "1..2.3", ".1.2.3", "1.2.3.", "1.2.3.4 ", " 1.2.3.4", "1.2.3.a",
    "0x1.2.3.4", "1.2.3.255", "1.2.3.256", "999.1.1.1", "", "1", "00.0.0.0", "0.0.0.00",
    "192.168.001.1", "1.2.3.4/24", "1,2.3.4", "1.2.3.4444",
  ]

  @Test(arguments: samples) func agreesWithInetPton(_ text: String) {
    var a = in_addr()
    let libc = inet_pton(AF_INET, text, &a) == 1 ? UInt32(bigEndian: a.s_addr) : nil
    #expect(IPv4Address(text: Array(text.utf8))?.value == libc)
  }

  @Test func agreesOnRandomText() {
    var rng = SystemRandomNumberGenerator()
    let alphabet = Array("0123456789.".utf8) + [UInt8(ascii: "a"), UInt8(ascii: " ")]
    for _ in 0..<20_000 {
      let n = Int.random(in: 0...16, using: &rng)
      let bytes = (0..<n).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }
      let text = String(decoding: bytes, as: UTF8.self)
      var a = in_addr()
      let libc = inet_pton(AF_INET, text, &a) == 1 ? UInt32(bigEndian: a.s_addr) : nil
      #expect(IPv4Address(text: bytes)?.value == libc, "\(text)")
    }
  }
}
