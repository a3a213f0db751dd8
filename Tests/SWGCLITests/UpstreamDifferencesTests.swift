import Glibc
import SWGCore
import Testing
@testable import SWGCLI

/// Every place where swg follows upstream wireguard-tools v1.0.20260223 rather than
/// Debian's wg 1.0.20210914 (the installed oracle). The integration suites assert these
/// on live devices instead of comparing with Debian's wg.
@Suite struct UpstreamDifferencesTests {
  func writeTemp(_ text: String) -> String {
    let path = "/tmp/swg-cli-upstream-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).conf"
    let fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0o600)
    _ = Array(text.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
    return path
  }

  /// 1. `show all endpoints` prefixes every line with the interface (b4f6b4f; Debian: first line only).
  @Test func allEndpointsPrefixEveryLine() {
    let r = swg(["show", "all", "endpoints"], FakeBackend([Fixtures.fake0]))
    #expect(r.out.split(separator: "\n").count == 3)
    #expect(r.out.split(separator: "\n").allSatisfy { $0.hasPrefix("fake0\t") })
  }

  /// 2. syncconf clears a preshared key (780182e) and a persistent keepalive (0a81a17) that
  /// the device has and the file no longer mentions.
  @Test func syncconfClearsRemovedPresharedKeyAndKeepalive() throws {
    let f = Fixtures.self
    var runtime = f.fake0
    runtime.name = "wg0"
    let b = FakeBackend([runtime])
    let path = writeTemp("[Interface]\nPrivateKey = \(f.priv.base64)\n[Peer]\nPublicKey = \(f.xtib.base64)\nAllowedIPs = 10.0.0.2/32\n")
    defer { unlink(path) }
    let r = swg(["syncconf", "wg0", path], b)
    #expect(r.status == 0 && r.err == "")
    let change = try #require(b.applied.first?.1)
    #expect(!change.replacePeers)
    let kept = try #require(change.peers.first { $0.publicKey == f.xtib && !$0.remove })
    #expect(kept.presharedKey == .zero)
    #expect(kept.persistentKeepalive == 0)
    // The two peers the file drops are removed.
    #expect(Set(change.peers.filter(\.remove).map(\.publicKey)) == [f.zvdb, f.trmv])
  }

  /// 3. `allowed-ips +a,-b` adds and removes single prefixes without replacing (0788f90),
  /// and the set usage shows the prefixes.
  @Test func incrementalAllowedIPs() throws {
    let b = FakeBackend([Device(name: "wg0")])
    let r = swg(["set", "wg0", "peer", Fixtures.xtib.base64, "allowed-ips", "+10.0.0.1/32,-10.0.0.2/32"], b)
    #expect(r.status == 0)
    let peer = try #require(b.applied.first?.1.peers.first)
    #expect(!peer.replaceAllowedIPs)
    #expect(peer.allowedIPs.map(\.description) == ["10.0.0.1/32", "-10.0.0.2/32"])
    #expect(swg(["set"]).err.contains("[allowed-ips [+|-]<ip1>/<cidr1>[,[+|-]<ip2>/<cidr2>]...]"))
  }

  /// 4. `--version` names the upstream version whose behaviour swg follows.
  @Test func version() {
    #expect(swg(["--version"]).out.hasPrefix("wireguard-tools v1.0.20260223 "))
  }

  /// 5. (kernel backend) names of 16+ bytes fail the GET with ENAMETOOLONG (13f4ac4): the
  /// CLI prints the backend's errno as wg does.
  @Test func longNameErrorText() {
    let b = FakeBackend()
    b.failing = ["abcdefghijklmnopq": Errno.nameTooLong]
    #expect(swg(["show", "abcdefghijklmnopq"], b).err == "Unable to access interface: File name too long\n")
  }
}
