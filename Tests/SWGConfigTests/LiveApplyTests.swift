import Foundation
import SWGConfig
import SWGCore
import Testing

private let priv = TestKeys.privateText
private let pub2 = TestKeys.peer2Text
private let pub3 = TestKeys.peer3Text
private let pub4 = TestKeys.peer4Text
private let psk = TestKeys.pskText

/// Differential tests of meaning, not just text: the real wg applies the words or the file
/// to a wireguard-go device, and the state it leaves must be what swg's parse predicts.
@Suite(.serialized) struct LiveApplyTests {
  static let base = """
    [Interface]
    PrivateKey = \(priv)
    ListenPort = 41000
    FwMark = 0x10
    [Peer]
    PublicKey = \(pub2)
    PresharedKey = \(psk)
    AllowedIPs = 10.2.0.0/16, fd02::/64
    Endpoint = 127.0.0.1:2
    PersistentKeepalive = 20
    [Peer]
    PublicKey = \(pub3)
    AllowedIPs = 10.3.0.0/16
    """

  func reset(_ live: LiveDevice, _ dir: TempDir) throws -> Device {
    try live.wg(["setconf", live.name, try dir.write("base.conf", Self.base)])
    return try live.device()
  }

  @Test(.enabled(if: LiveDevice.available, "needs root, wg, ip and wireguard-go"))
  func setWordsChangeTheDeviceAsPredicted() throws {
    let live = try LiveDevice(tag: "set")
    let dir = try TempDir()
    let pskFile = try dir.write("psk", psk + "\n")
    let scenarios: [[String]] = [
      ["listen-port", "41001", "fwmark", "off"],
      ["fwmark", "0x20", "peer", pub2, "remove"],
      ["peer", pub2, "allowed-ips", "10.9.0.0/16,10.3.0.0/16"],  // takes 10.3/16 from pub3
      ["peer", pub3, "allowed-ips", ""],
      ["peer", pub3, "allowed-ips", "10.3.1.1/24, fd03::1/64"],
      [
        "peer", pub4, "endpoint", "[::1]:4", "persistent-keepalive", "off", "preshared-key",
        pskFile,
      ],
      [
        "peer", pub2, "preshared-key", "/dev/null", "persistent-keepalive", "0", "endpoint",
        "127.0.0.1:7",
      ],
      [
        "peer", pub4, "allowed-ips", "10.4.0.0/16", "allowed-ips", "10.5.0.0/16", "peer", pub3,
        "remove",
      ],
      ["private-key", "/dev/null"],
    ]
    for words in scenarios {
      let before = try reset(live, dir)
      let change = try SetArguments.parse(words, resolutionRetries: 0)
      try live.wg(["set", live.name] + words)
      let after = try live.device()
      #expect(
        LiveDevice.normalized(after) == LiveDevice.normalized(before.applying(change)), "\(words)")
    }
  }

  @Test(.enabled(if: LiveDevice.available, "needs root, wg, ip and wireguard-go"))
  func configCommandsChangeTheDeviceAsPredicted() throws {
    let live = try LiveDevice(tag: "conf")
    let dir = try TempDir()
    let files = [
      "[Peer]\nPublicKey = \(pub4)\nAllowedIPs = 10.4.0.0/16\n",
      "[Interface]\nListenPort = 41002\n[Peer]\nPublicKey = \(pub2)\nPresharedKey = \(psk)\nPersistentKeepalive = 20\nAllowedIPs = 10.22.0.0/16\n",
      "[Interface]\nPrivateKey = \(priv)\nListenPort = 41003\n",
      "[Interface]\nPrivateKey = \(priv)\nListenPort = 41004\n[Peer]\nPublicKey = \(pub3)\nAllowedIPs = 10.2.0.0/16\n[Peer]\nPublicKey = \(pub4)\n",
    ]
    for (i, text) in files.enumerated() {
      let path = try dir.write("f\(i).conf", text)
      let file = try parseConfig(text)
      for command in ["setconf", "addconf", "syncconf"] {
        let before = try reset(live, dir)
        let change: DeviceChange
        switch command {
        case "setconf": change = file.asSetconfChange()
        case "addconf": change = file.asAddconfChange()
        default: change = file.syncChange(runtime: before)
        }
        try live.wg([command, live.name, path])
        let after = try live.device()
        var expected = before.applying(change)
        if change.listenPort == 0 { expected.listenPort = after.listenPort }  // random port
        #expect(
          LiveDevice.normalized(after) == LiveDevice.normalized(expected), "\(command) \(text)")
      }
    }
  }
}
