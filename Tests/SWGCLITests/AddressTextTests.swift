import Glibc
import SWGCore
import Testing
@testable import SWGCLI

/// Our address text must equal glibc's inet_ntop for every address.
@Suite struct AddressTextTests {
  func ntop(_ bytes: [UInt8]) -> String {
    var buf = [CChar](repeating: 0, count: 64)
    var raw = bytes
    _ = inet_ntop(AF_INET6, &raw, &buf, 64)
    return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  func ours(_ bytes: [UInt8]) -> String {
    var out = Output()
    guard let a = IPv6Address(bytes: bytes) else { return "?" }
    out.append(address: .v6(a))
    return out.text
  }

  @Test func edgeAddresses() {
    let texts = [
      "::", "::1", "::2", "1::", "1::1", "::1.2.3.4", "::ffff:1.2.3.4", "::fffe:1.2.3.4", "::1:0:0:0",
      "0:0:1::", "1:0:0:1::1", "1:0:1:0:1:0:1:0", "1:0:0:2:0:0:3:4", "fe80::1", "2001:db8::ff00:42:8329",
      "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::0.1.0.0", "0:0:0:0:0:1:0:0", "1:2:3:4:5:6:7:8",
      "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "0:ffff::", "::ffff:0:0", "::ffff:0.0.0.1", "64:ff9b::1.2.3.4",
    ]
    for t in texts {
      var raw = [UInt8](repeating: 0, count: 16)
      #expect(inet_pton(AF_INET6, t, &raw) == 1, "\(t)")
      #expect(ours(raw) == ntop(raw), "\(t)")
    }
  }

  @Test func randomAddressesWithZeroRuns() {
    var rng = SystemRandomNumberGenerator()
    for _ in 0..<20000 {
      var raw = (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) }
      // Zero out random groups so runs of every length and position occur.
      for g in 0..<8 where Bool.random(using: &rng) {
        raw[2 * g] = 0
        raw[2 * g + 1] = Bool.random(using: &rng) ? 0 : raw[2 * g + 1] & 0x0f
      }
      if Int.random(in: 0..<8, using: &rng) == 0 { raw[10] = 0xff; raw[11] = 0xff }
      #expect(ours(raw) == ntop(raw), "\(raw)")
    }
  }

  @Test func ipv4() {
    var out = Output()
    for t in ["0.0.0.0", "255.255.255.255", "10.0.0.1", "192.168.100.200"] {
      guard let a = IPv4Address(t) else { Issue.record("\(t)"); continue }
      out = Output()
      out.append(address: .v4(a))
      #expect(out.text == t)
    }
  }
}
