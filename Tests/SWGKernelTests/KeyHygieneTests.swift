import SWGTestSupport
import Glibc
import Netlink
import SWGCore
import Testing

@testable import SWGKernel

/// SET_DEVICE messages hold the private and preshared keys: zeroed once sent.
@Suite struct KernelKeyHygieneTests {
  @Test func setMessagesAreWipedAfterSending() throws {
    let kernel = FakeKernel()
    let privateKey = Key.generatePrivate()
    let change = DeviceChange(
      privateKey: privateKey, listenPort: 1, replacePeers: true,
      peers: (0..<300).map { i in
        PeerChange(
          publicKey: key(number: i), presharedKey: Key.generatePreshared(), replaceAllowedIPs: true,
          allowedIPs: [AllowedIPChange(ip("10.\(i / 256).\(i % 256).0/24"))])
      })
    let (_, log) = try WipeLog.observing { try kernel.backend().apply(change, to: "wg0") }
    #expect(kernel.setMessages.count > 5)
    // Applied as before.
    let device = try kernel.backend().device(named: "wg0")
    #expect(device.privateKey == privateKey && device.peers.count == 300)
    #expect(device.peers.map(\.presharedKey) == change.peers.map(\.presharedKey))
    // Each sent message (and the builder it was copied from) zeroed.
    #expect(log.wipedRegions(holding: privateKey.bytes).count >= 1)
    for peer in change.peers {
      guard let psk = peer.presharedKey else { continue }
      #expect(log.wipedRegions(holding: psk.bytes).count >= 1)
    }
    let wipedMessages = log.events.filter { $0.stage == .before }.map(\.bytes)
    #expect(wipedMessages.count >= kernel.setMessages.count)
  }

  @Test func finishingHandsTheBuilderStorageToTheMessage() throws {
    let secret = Key.generatePrivate()
    var m = MessageBuilder<WGDeviceSet>(
      type: 30, flags: [.request, .ack],
      familyHeader: GenericHeader(command: WireGuardFamily.setDevice, version: 1).bytes,
      limit: 4096)
    let fitName = m.attributes.put(.ifname, "wg0")
    let fitKey = m.attributes.put(.privateKey, secret)
    #expect(fitName && fitKey)
    let (message, log) = WipeLog.observing { SetDeviceEncoder.finishWiping(&m) }
    // One copy of the key: the message is the builder's storage, cut to length, so there
    // is no second buffer to wipe (the sender wipes the message once sent).
    #expect(WipeLog.contains(message.bytes, secret.bytes))
    let messageBase = message.bytes.withUnsafeBytes { $0.baseAddress }
    let builderBase = m.attributes.bytes.withUnsafeBytes { $0.baseAddress }
    #expect(messageBase == builderBase)
    #expect(log.wipedRegions(holding: secret.bytes).isEmpty)
  }

}
