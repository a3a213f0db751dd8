import SWGCore
import Testing
@testable import SWGCLI

@Suite struct PrettyTests {
  @Test func observedPrettyOutput() {
    let text = Fixtures.fake0.prettyText(style: PrettyStyle(now: Fixtures.fake0Now))
    #expect(
      text == """
        interface: fake0
          public key: ZVdBZHuTKmzhZZrGjUF7hdUpbBqQF+dI4VDHPpqNmjg=
          private key: (hidden)
          listening port: 51820
          fwmark: 0xca6c

        peer: TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=
          endpoint: [2001:db8::1]:1234
          allowed ips: 10.10.0.0/16, 0.0.0.0/0
          latest handshake: 43 seconds ago
          transfer: 100 B received, 1000 B sent
          persistent keepalive: every 1 hour, 1 minute, 1 second

        peer: xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=
          preshared key: (hidden)
          endpoint: 192.0.2.7:51820
          allowed ips: 10.0.0.2/32, fd00::2/128
          latest handshake: 1 hour, 2 minutes, 8 seconds ago
          transfer: 5.00 GiB received, 1.50 KiB sent
          persistent keepalive: every 25 seconds

        peer: ZVdBZHuTKmzhZZrGjUF7hdUpbBqQF+dI4VDHPpqNmjg=
          allowed ips: (none)

        """)
  }

  @Test func observedColouredLines() {
    let text = Fixtures.fake0.prettyText(style: PrettyStyle(palette: .color, now: Fixtures.fake0Now))
    let e = "\u{1b}"
    #expect(text.hasPrefix("\(e)[0m\(e)[32m\(e)[1minterface\(e)[0m: \(e)[32mfake0\(e)[0m\n"))
    #expect(text.contains("\(e)[1mallowed ips\(e)[0m: 10.10.0.0\(e)[36m/\(e)[0m16, 0.0.0.0\(e)[36m/\(e)[0m0\n"))
    #expect(text.contains("\(e)[1mlatest handshake\(e)[0m: 43 \(e)[36mseconds\(e)[0m ago\n"))
    #expect(text.contains("\(e)[1mtransfer\(e)[0m: 100 \(e)[36mB\(e)[0m received, 1000 \(e)[36mB\(e)[0m sent\n"))
    #expect(text.contains("\(e)[33m\(e)[1mpeer\(e)[0m: \(e)[33mTrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=\(e)[0m\n"))
  }

  @Test func colourOffIsColourWithEscapesStripped() {
    let style = PrettyStyle(now: Fixtures.fake0Now)
    var colored = style
    colored.palette = .color
    let plain = Fixtures.fake0.prettyText(style: style)
    let stripped = stripEscapes(Fixtures.fake0.prettyText(style: colored))
    #expect(plain == stripped)
  }

  @Test func hideKeysNeverShowsPrivateAndPresharedKeys() {
    let text = Fixtures.fake0.prettyText(style: PrettyStyle(showsKeys: true, now: Fixtures.fake0Now))
    #expect(text.contains("  private key: \(Fixtures.priv.base64)\n"))
    #expect(text.contains("  preshared key: \(Fixtures.psk.base64)\n"))
    #expect(!text.contains("(hidden)"))
  }

  @Test func deviceWithoutKeyOrPeers() {
    let d = Device(name: "wg9")
    #expect(d.prettyText(style: PrettyStyle(now: 0)) == "interface: wg9\n")
    let e = "\u{1b}"
    #expect(d.prettyText(style: PrettyStyle(palette: .color, now: 0)) == "\(e)[0m\(e)[32m\(e)[1minterface\(e)[0m: \(e)[32mwg9\(e)[0m\n")
  }

  @Test func handshakeNowAndFuture() {
    var d = Device(name: "x", peers: [Peer(publicKey: Fixtures.xtib, lastHandshake: Timespec(seconds: 100))])
    #expect(d.prettyText(style: PrettyStyle(now: 100)).contains("  latest handshake: Now\n"))
    #expect(
      d.prettyText(style: PrettyStyle(now: 99)).contains(
        "  latest handshake: (System clock wound backward; connection problems may ensue.)\n"))
    let e = "\u{1b}"
    #expect(
      d.prettyText(style: PrettyStyle(palette: .color, now: 99)).contains(
        ": (\(e)[31mSystem clock wound backward; connection problems may ensue.\(e)[0m)\n"))
    // A handshake with only nanoseconds set is sorted as a handshake but not printed (wg tests tv_sec).
    d.peers[0].lastHandshake = Timespec(seconds: 0, nanoseconds: 5)
    #expect(!d.prettyText(style: PrettyStyle(now: 99)).contains("latest handshake"))
  }

  static let durationCases: [(UInt64, String)] = [
    (1, "1 second"), (59, "59 seconds"), (60, "1 minute"), (61, "1 minute, 1 second"),
    (3600, "1 hour"), (86400, "1 day"), (86401, "1 day, 1 second"), (31_536_000, "1 year"),
    (63_252_122, "2 years, 2 days, 2 hours, 2 minutes, 2 seconds"),
  ]
  @Test(arguments: durationCases)
  func durations(seconds: UInt64, text: String) {
    var out = Output()
    appendDuration(seconds, palette: .plain, to: &out)
    #expect(out.text == text)
  }

  static let byteCases: [(UInt64, String)] = [
    (0, "0 B"), (1023, "1023 B"), (1024, "1.00 KiB"), (1535, "1.50 KiB"), (1536, "1.50 KiB"),
    (1_048_575, "1024.00 KiB"), (1_048_576, "1.00 MiB"), (5_368_709_120, "5.00 GiB"),
    (1 << 40, "1.00 TiB"), (UInt64.max, "16777216.00 TiB"), (1029, "1.00 KiB"), (1030, "1.01 KiB"),
  ]
  @Test(arguments: byteCases)
  func byteCounts(bytes: UInt64, text: String) {
    var out = Output()
    appendBytes(bytes, palette: .plain, to: &out)
    #expect(out.text == text)
  }

  @Test func peerOrderIsHandshakeDescendingNeverLastStable() {
    let keys = (0..<5).map { i in Key(bytes: [UInt8](repeating: UInt8(i + 1), count: 32))! }
    let d = Device(
      name: "x",
      peers: [
        Peer(publicKey: keys[0]),
        Peer(publicKey: keys[1], lastHandshake: Timespec(seconds: 10, nanoseconds: 1)),
        Peer(publicKey: keys[2], lastHandshake: Timespec(seconds: 10, nanoseconds: 2)),
        Peer(publicKey: keys[3]),
        Peer(publicKey: keys[4], lastHandshake: Timespec(seconds: 9)),
      ])
    #expect(d.peersInPrettyOrder.map(\.publicKey) == [keys[2], keys[1], keys[4], keys[0], keys[3]])
  }

  @Test func scriptOrderIsBackendOrder() {
    #expect(
      Fixtures.fake0.fieldText(.peers, withInterface: false)
        == "\(Fixtures.zvdb.base64)\n\(Fixtures.xtib.base64)\n\(Fixtures.trmv.base64)\n")
  }

  private func stripEscapes(_ s: String) -> String {
    var out: [UInt8] = []
    var bytes = Array(s.utf8)[...]
    while let b = bytes.popFirst() {
      if b == 0x1b, bytes.first == UInt8(ascii: "[") {
        while let c = bytes.popFirst(), !((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {}
        continue
      }
      out.append(b)
    }
    return String(decoding: out, as: UTF8.self)
  }
}
