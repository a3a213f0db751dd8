import SWGConfig
import SWGCore
import Testing

@Suite struct SyncChangeTests {
  func key(_ byte: UInt8) -> Key {
    Key(bytes: [byte] + [UInt8](repeating: 0, count: 31)) ?? .zero
  }

  @Test func fileWithoutPeersIsSetconf() throws {
    let file = try parseConfig("[Interface]\nListenPort = 5\n")
    let runtime = Device(name: "wg0", peers: [Peer(publicKey: key(1))])
    let change = file.syncChange(runtime: runtime)
    #expect(change == file.asSetconfChange())
    #expect(change.replacePeers)
  }

  @Test func deviceWithoutPeersIsSetconf() throws {
    let file = try parseConfig("[Peer]\nPublicKey = \(key(1).base64)\n")
    #expect(file.syncChange(runtime: Device(name: "wg0")) == file.asSetconfChange())
  }

  @Test func stalePeersAreRemovedFirstInDescendingKeyOrder() throws {
    let file = try parseConfig(
      "[Peer]\nPublicKey = \(key(5).base64)\n[Peer]\nPublicKey = \(key(2).base64)\n")
    let runtime = Device(name: "wg0", peers: [3, 2, 9, 1].map { Peer(publicKey: key($0)) })
    let change = file.syncChange(runtime: runtime)
    #expect(!change.replacePeers)
    // Device-level fields are still sent as setconf sends them.
    #expect(change.privateKey == Key.zero && change.listenPort == 0 && change.fwmark == 0)
    #expect(change.peers.map(\.publicKey) == [key(9), key(3), key(1), key(5), key(2)])
    #expect(change.peers.map(\.remove) == [true, true, true, false, false])
    #expect(change.peers[0] == PeerChange(publicKey: key(9), remove: true))
  }

  @Test func keptPeersLosePresharedKeyAndKeepaliveTheFileDropped() throws {
    let file = try parseConfig(
      """
      [Peer]
      PublicKey = \(key(1).base64)
      [Peer]
      PublicKey = \(key(2).base64)
      PresharedKey = \(TestKeys.pskText)
      PersistentKeepalive = 10
      [Peer]
      PublicKey = \(key(3).base64)
      """)
    let psk = try TestKeys.key(TestKeys.pskText)
    let runtime = Device(
      name: "wg0",
      peers: [
        Peer(publicKey: key(1), presharedKey: psk, persistentKeepalive: 25),
        Peer(publicKey: key(2), presharedKey: psk, persistentKeepalive: 25),
        Peer(publicKey: key(3)),
      ])
    let change = file.syncChange(runtime: runtime)
    #expect(change.peers.count == 3)
    #expect(change.peers[0].presharedKey == Key.zero)
    #expect(change.peers[0].persistentKeepalive == 0)
    #expect(change.peers[1].presharedKey == psk)
    #expect(change.peers[1].persistentKeepalive == 10)
    #expect(change.peers[2].presharedKey == nil)
    #expect(change.peers[2].persistentKeepalive == nil)
    #expect(change.peers.allSatisfy { $0.replaceAllowedIPs })
  }

  @Test func freeFunctionFormAgrees() throws {
    let file = try parseConfig("[Peer]\nPublicKey = \(key(1).base64)\n")
    let runtime = Device(name: "wg0", peers: [Peer(publicKey: key(2))])
    #expect(
      ConfigFile.syncChange(file: file, runtime: runtime) == file.syncChange(runtime: runtime))
  }
}
