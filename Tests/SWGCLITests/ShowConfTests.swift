import SWGConfig
import SWGCore
import Testing
@testable import SWGCLI

@Suite struct ShowConfTests {
  func text(_ d: Device) -> String {
    var out = Output()
    d.appendShowconf(to: &out)
    return out.text
  }

  @Test func observedLayout() {
    let f = Fixtures.self
    #expect(
      text(f.fake0) == """
        [Interface]
        ListenPort = 51820
        FwMark = 0xca6c
        PrivateKey = \(f.priv.base64)

        [Peer]
        PublicKey = \(f.zvdb.base64)

        [Peer]
        PublicKey = \(f.xtib.base64)
        PresharedKey = \(f.psk.base64)
        AllowedIPs = 10.0.0.2/32, fd00::2/128
        Endpoint = 192.0.2.7:51820
        PersistentKeepalive = 25

        [Peer]
        PublicKey = \(f.trmv.base64)
        AllowedIPs = 10.10.0.0/16, 0.0.0.0/0
        Endpoint = [2001:db8::1]:1234
        PersistentKeepalive = 3661

        """)
    #expect(text(Device(name: "x")) == "[Interface]\n\n")
  }

  /// The fast writer and SWGConfig's serializer must never drift apart.
  @Test func sameAsConfigSerializer() {
    let f = Fixtures.self
    guard case .v6(let ll)? = IPAddress("fe80::1") else { return }
    var devices = [f.fake0, Device(name: "x"), Device(name: "y", fwmark: 1)]
    devices.append(
      Device(
        name: "z", listenPort: 65535, fwmark: 0xffff_ffff,
        peers: [
          Peer(publicKey: f.xtib, presharedKey: .zero, endpoint: .v6(ll, port: 1, scopeID: 1)),
          Peer(publicKey: f.trmv, endpoint: f.v6("::ffff:10.0.0.1", 2), allowedIPs: [f.ip("::", 0), f.ip("255.255.255.255", 32)]),
        ]))
    for d in devices {
      #expect(text(d) == d.showconf, "\(d.name)")
    }
  }
}
