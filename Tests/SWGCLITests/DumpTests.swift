import SWGCore
import Testing
@testable import SWGCLI

@Suite struct DumpTests {
  let f = Fixtures.self

  @Test func observedDumpWithInterface() {
    let text = f.fake0.fieldText(.dump, withInterface: true)
    #expect(
      text == """
        fake0\t\(f.priv.base64)\t\(f.zvdb.base64)\t51820\t0xca6c
        fake0\t\(f.zvdb.base64)\t(none)\t(none)\t(none)\t0\t0\t0\toff
        fake0\t\(f.xtib.base64)\t\(f.psk.base64)\t192.0.2.7:51820\t10.0.0.2/32,fd00::2/128\t1795516657\t5368709120\t1536\t25
        fake0\t\(f.trmv.base64)\t(none)\t[2001:db8::1]:1234\t10.10.0.0/16,0.0.0.0/0\t1795520342\t100\t1000\t3661

        """)
  }

  @Test func singleInterfaceDumpHasNoNameColumn() {
    let all = f.fake0.fieldText(.dump, withInterface: true)
    let one = f.fake0.fieldText(.dump, withInterface: false)
    #expect(one == all.split(separator: "\n").map { $0.dropFirst("fake0\t".count) }.joined(separator: "\n") + "\n")
  }

  @Test func emptyDevice() {
    let d = Device(name: "wg0")
    #expect(d.fieldText(.dump, withInterface: false) == "(none)\t(none)\t0\toff\n")
    #expect(d.fieldText(.publicKey, withInterface: false) == "(none)\n")
    #expect(d.fieldText(.privateKey, withInterface: true) == "wg0\t(none)\n")
    #expect(d.fieldText(.listenPort, withInterface: false) == "0\n")
    #expect(d.fieldText(.fwmark, withInterface: false) == "off\n")
    for field in [ShowField.peers, .endpoints, .allowedIPs, .transfer, .presharedKeys, .latestHandshakes, .persistentKeepalive] {
      #expect(d.fieldText(field, withInterface: true) == "")
    }
  }

  @Test func selectors() {
    let d = f.fake0
    let (z, x, t) = (f.zvdb.base64, f.xtib.base64, f.trmv.base64)
    #expect(d.fieldText(.publicKey, withInterface: false) == "\(z)\n")
    #expect(d.fieldText(.privateKey, withInterface: false) == "\(f.priv.base64)\n")
    #expect(d.fieldText(.listenPort, withInterface: false) == "51820\n")
    #expect(d.fieldText(.fwmark, withInterface: false) == "0xca6c\n")
    #expect(d.fieldText(.presharedKeys, withInterface: false) == "\(z)\t(none)\n\(x)\t\(f.psk.base64)\n\(t)\t(none)\n")
    #expect(d.fieldText(.endpoints, withInterface: false) == "\(z)\t(none)\n\(x)\t192.0.2.7:51820\n\(t)\t[2001:db8::1]:1234\n")
    #expect(
      d.fieldText(.allowedIPs, withInterface: false)
        == "\(z)\t(none)\n\(x)\t10.0.0.2/32 fd00::2/128\n\(t)\t10.10.0.0/16 0.0.0.0/0\n")
    #expect(d.fieldText(.latestHandshakes, withInterface: false) == "\(z)\t0\n\(x)\t1795516657\n\(t)\t1795520342\n")
    #expect(d.fieldText(.transfer, withInterface: false) == "\(z)\t0\t0\n\(x)\t5368709120\t1536\n\(t)\t100\t1000\n")
    #expect(d.fieldText(.persistentKeepalive, withInterface: false) == "\(z)\toff\n\(x)\t25\n\(t)\t3661\n")
  }

  /// Upstream (v1.0.20250521+) prefixes every `show all endpoints` line with the interface;
  /// Debian's 1.0.20210914 prefixed only the first. swg follows upstream.
  @Test func upstreamAllEndpointsPrefixesEveryLine() {
    let lines = f.fake0.fieldText(.endpoints, withInterface: true).split(separator: "\n")
    #expect(lines.count == 3)
    #expect(lines.allSatisfy { $0.hasPrefix("fake0\t") })
    for field in ShowField.allCases {
      let text = f.fake0.fieldText(field, withInterface: true)
      #expect(text.split(separator: "\n").allSatisfy { $0.hasPrefix("fake0\t") }, "\(field)")
    }
  }

  @Test func endpointForms() {
    guard case .v6(let ll)? = IPAddress("fe80::1") else { Issue.record("parse"); return }
    var out = Output()
    out.append(endpoint: .v6(ll, port: 51820, scopeID: 1))  // ifindex 1 is lo
    #expect(out.text == "[fe80::1%lo]:51820")
    out = Output()
    out.append(endpoint: f.v6("::ffff:1.2.3.4", 1))
    #expect(out.text == "[::ffff:1.2.3.4]:1")
    out = Output()
    out.append(endpoint: f.v4("0.0.0.0", 0))
    #expect(out.text == "0.0.0.0:0")
  }

  @Test func numbers() {
    var out = Output()
    out.append(decimal: UInt64.max)
    out.append(byte: 32)
    out.append(decimal: UInt64(0))
    out.append(byte: 32)
    out.append(hex: 0xffff_ffff)
    out.append(byte: 32)
    out.append(hex: 0)
    out.append(byte: 32)
    out.append(hex: 0x10)
    #expect(out.text == "18446744073709551615 0 ffffffff 0 10")
  }
}
