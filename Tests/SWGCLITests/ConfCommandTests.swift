import Glibc
import SWGCore
import Testing
@testable import SWGCLI

@Suite struct ConfCommandTests {
  func temp(_ text: String) -> String {
    let path = "/tmp/swg-cli-conf-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).conf"
    let fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0o600)
    _ = Array(text.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
    return path
  }

  @Test func usage() {
    for cmd in ["setconf", "addconf", "syncconf"] {
      let r = swg([cmd, "wg0"])
      #expect(r.status == 1 && r.err == "Usage: wg \(cmd) <interface> <configuration filename>\n")
    }
    #expect(swg(["showconf"]).err == "Usage: wg showconf <interface>\n")
    #expect(swg(["showconf", "a", "b"]).status == 1)
  }

  @Test func fileErrors() {
    let b = FakeBackend([Device(name: "wg0")])
    let missing = swg(["setconf", "wg0", "/nonexistent/x.conf"], b)
    #expect(missing.status == 1 && missing.err == "fopen: No such file or directory\n")
    let bad = temp("[Interface]\nAddress = 10.0.0.1/24\n")
    defer { unlink(bad) }
    let r = swg(["setconf", "wg0", bad], b)
    #expect(r.status == 1 && r.err == "Line unrecognized: `Address=10.0.0.1/24'\nConfiguration parsing error\n")
    let nokey = temp("[Peer]\nAllowedIPs = 10.0.0.1/32\n")
    defer { unlink(nokey) }
    #expect(swg(["addconf", "wg0", nokey], b).err == "A peer is missing a public key\nInvalid configuration\n")
    #expect(b.applied.isEmpty)
  }

  @Test func setconfAddconfSemantics() throws {
    let b = FakeBackend([Device(name: "wg0")])
    let path = temp("[Peer]\nPublicKey = \(Fixtures.xtib.base64)\n")
    defer { unlink(path) }
    #expect(swg(["setconf", "wg0", path], b).status == 0)
    let set = try #require(b.applied.last?.1)
    #expect(set.replacePeers && set.privateKey == .zero && set.listenPort == 0 && set.fwmark == 0)
    #expect(set.peers.first?.replaceAllowedIPs == true)
    #expect(swg(["addconf", "wg0", path], b).status == 0)
    let add = try #require(b.applied.last?.1)
    #expect(!add.replacePeers && add.privateKey == nil && add.listenPort == nil && add.fwmark == nil)
  }

  @Test func syncconfReadsTheDeviceOnlyWhenTheFileHasPeers() {
    let b = FakeBackend()
    b.failing = ["wg0": Errno(EACCES)]
    let withPeers = temp("[Peer]\nPublicKey = \(Fixtures.xtib.base64)\n")
    let noPeers = temp("[Interface]\nListenPort = 1\n")
    defer { unlink(withPeers); unlink(noPeers) }
    let r = swg(["syncconf", "wg0", withPeers], b)
    #expect(r.status == 1 && r.err == "Unable to retrieve current interface configuration: Permission denied\n")
    let s = swg(["syncconf", "wg0", noPeers], b)
    #expect(s.status == 1 && s.err == "Unable to modify interface: Permission denied\n")
  }

  @Test func showconfThroughTheCommand() {
    let r = swg(["showconf", "fake0"], FakeBackend([Fixtures.fake0]))
    var out = Output()
    Fixtures.fake0.appendShowconf(to: &out)
    #expect(r.status == 0 && r.out == out.text)
    #expect(swg(["showconf", "nope"]).err == "Unable to access interface: No such device\n")
  }
}
