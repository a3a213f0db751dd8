import SWGTestSupport
import Foundation
import Glibc
import SWGCore
import Testing

@testable import SWGUAPI

/// The UAPI request text and the reply buffers are zeroed once used.
@Suite struct UAPIKeyHygieneTests {
  func bigChange(peers: Int) throws -> DeviceChange {
    let v6 = try #require(IPv6Address("fe80::1:2:3:4"))
    return DeviceChange(
      privateKey: Key.generatePrivate(), listenPort: 1, replacePeers: true,
      peers: (0..<peers).map { i in
        PeerChange(
          publicKey: Key.generatePreshared(), updateOnly: true,
          presharedKey: Key.generatePreshared(),
          endpoint: .v6(v6, port: 65535, flowInfo: 0, scopeID: 0), persistentKeepalive: 65535,
          replaceAllowedIPs: true,
          allowedIPs: [AllowedIPChange(AllowedIP(address: .v6(v6), cidr: 128)!, remove: true)])
      })
  }

  @Test(arguments: [256, 4096, UAPISetWriter.defaultChunkSize])
  func everyChunkIsWipedAfterItIsSent(_ chunkSize: Int) throws {
    let change = try bigChange(peers: 300)
    let privateKey = try #require(change.privateKey)
    var sent: [UInt8] = []
    var addresses = Set<UInt>()
    let (_, log) = WipeLog.observing {
      UAPISetWriter.write(change, chunkSize: chunkSize) { chunk in
        sent.append(contentsOf: chunk)
        addresses.insert(UInt(bitPattern: chunk.baseAddress))
      }
    }
    // Same text as before.
    #expect(sent == UAPISetWriter.request(for: change))
    // One buffer throughout (it never grew and left a copy), zeroed after every chunk.
    #expect(addresses.count == 1)
    let chunks = log.events.filter { $0.stage == .before && addresses.contains($0.address) }
    #expect(chunks.flatMap(\.bytes) == sent)
    func wipedChunks(holding text: String) -> Int {
      log.wipedRegions(holding: text).filter { addresses.contains($0.address) }.count
    }
    #expect(wipedChunks(holding: "private_key=\(privateKey.hex)\n") == 1)
    for peer in change.peers {
      guard let psk = peer.presharedKey else { continue }
      #expect(wipedChunks(holding: "preshared_key=\(psk.hex)\n") == 1)
    }
  }

  @Test func aLineSplitAcrossReadsIsWipedFromTheCarry() throws {
    let reply = Array("private_key=\(privHex)\nlisten_port=1\nerrno=0\n\n".utf8)
    var parser = UAPIGetParser(interfaceName: "wg0")
    let (_, log) = try WipeLog.observing {
      try parser.feed(Array(reply[0..<20]))
      try parser.feed(Array(reply[20...]))
    }
    let device = try parser.finish()
    #expect(device.privateKey == key(privHex))
    // The carried line, handed to the parser in place and then zeroed.
    #expect(log.wipedRegions(holding: "private_key=\(privHex)").count == 1)
  }

  @Test func aPartialLineLeftByAnEndedReplyIsWiped() throws {
    var parser = UAPIGetParser(interfaceName: "wg0")
    try parser.feed(Array("private_key=\(privHex.prefix(40))".utf8))
    let (_, log) = WipeLog.observing { parser.wipeBuffers() }
    #expect(log.wipedRegions(holding: "private_key=\(privHex.prefix(40))").count == 1)
  }

  @Test func getReplyBufferIsWiped() throws {
    let dir = try TempDir()
    defer { dir.remove() }
    let daemon = try FakeDaemon(path: dir.path + "/wg0.sock") { fd in
      _ = readRequest(fd)
      send(fd, "private_key=\(privHex)\nlisten_port=7\nerrno=0\n\n")
    }
    defer { daemon.stop() }
    let backend = UAPIBackend(socketDirectory: dir.path, timeout: .seconds(5))
    let (device, log) = try WipeLog.observing { try backend.device(named: "wg0") }
    #expect(device.privateKey == key(privHex) && device.listenPort == 7)
    #expect(log.wipedRegions(holding: "private_key=\(privHex)").count >= 1)
  }

  @Test func setRequestIsWipedOnTheWayToADaemon() throws {
    let dir = try TempDir()
    defer { dir.remove() }
    let request = Box<[UInt8]>([])
    let daemon = try FakeDaemon(path: dir.path + "/wg0.sock") { fd in
      request.value = readRequest(fd)
      send(fd, "errno=0\n\n")
    }
    defer { daemon.stop() }
    let backend = UAPIBackend(socketDirectory: dir.path, timeout: .seconds(5))
    let change = DeviceChange(
      privateKey: key(privHex),
      peers: [
        PeerChange(publicKey: key(peer1Hex), presharedKey: key(pskHex))
      ])
    let (_, log) = try WipeLog.observing { try backend.apply(change, to: "wg0") }
    #expect(request.value == UAPISetWriter.request(for: change))
    #expect(log.wipedRegions(holding: request.value).count == 1)
  }
}
