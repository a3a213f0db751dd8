import Foundation
import SWGCore
import SWGTestSupport
import Testing

@Suite struct WipingTests {
  @Test func wipeZeroesRawMemoryInPlace() {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 100, alignment: 8)
    defer { buffer.deallocate() }
    buffer.initializeMemory(as: UInt8.self, repeating: 0xA5)
    wipe(UnsafeMutableRawBufferPointer(rebasing: buffer[10..<90]))
    #expect(buffer[0..<10].allSatisfy { $0 == 0xA5 })
    #expect(buffer[10..<90].allSatisfy { $0 == 0 })
    #expect(buffer[90..<100].allSatisfy { $0 == 0xA5 })
  }

  @Test func wipeArrayZeroesOnlyThePrefixInItsOwnStorage() {
    var bytes = [UInt8](repeating: 0x5A, count: 64)
    let before = bytes.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
    wipe(&bytes, prefix: 40)
    #expect(bytes.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) } == before)
    #expect(bytes[0..<40].allSatisfy { $0 == 0 })
    #expect(bytes[40...].allSatisfy { $0 == 0x5A })
    wipe(&bytes)
    #expect(bytes.count == 64 && bytes.allSatisfy { $0 == 0 })
  }

  @Test func wipeArrayOfASharedArrayLeavesTheOtherCopy() {
    // The documented limit: copy-on-write gives the wiped variable storage of its own.
    let other = [UInt8](repeating: 7, count: 32)
    var mine = other
    wipe(&mine)
    #expect(mine.allSatisfy { $0 == 0 })
    #expect(other.allSatisfy { $0 == 7 })
  }

  @Test func wipeSharedStorageZeroesEveryCopy() {
    var a = [UInt8](repeating: 9, count: 48)
    a[0] = 1  // built at run time, not a static literal
    let b = a
    wipeSharedStorage(of: b)
    #expect(a.allSatisfy { $0 == 0 })
    #expect(b.allSatisfy { $0 == 0 })
    wipeSharedStorage(of: [])  // nothing to do, no trap
  }

  @Test func scratchIsZeroedBeforeItIsFreed() {
    let secret = Array("scratch-secret-0123456789".utf8)
    let (address, log) = WipeLog.observing {
      withWipedScratch(byteCount: 200) { buf -> UInt in
        buf.copyMemory(from: UnsafeRawBufferPointer(start: secret, count: secret.count))
        return UInt(bitPattern: buf.baseAddress)
      }
    }
    let wiped = log.wipedRegions(holding: secret)
    #expect(wiped.count == 1)
    #expect(wiped.first?.address == address)
    #expect(wiped.first?.bytes.count ?? 0 >= 200)
  }

  @Test func growingWipesTheOldStorage() {
    let secret = Array("PrivateKey = growing-secret".utf8)
    var bytes: [UInt8] = []
    bytes.reserveCapacity(secret.count)
    secret.withUnsafeBytes { appendWipingOldStorage(&bytes, $0) }
    let big = [UInt8](repeating: 0x41, count: 10_000)
    let (_, log) = WipeLog.observing {
      big.withUnsafeBytes { appendWipingOldStorage(&bytes, $0) }
    }
    #expect(bytes == secret + big)
    #expect(log.wipedRegions(holding: secret).count == 1)
    // No growth, no wipe.
    let (_, quiet) = WipeLog.observing {
      let cap = bytes.capacity
      let room = [UInt8](repeating: 0x42, count: cap - bytes.count)
      room.withUnsafeBytes { appendWipingOldStorage(&bytes, $0) }
    }
    #expect(quiet.events.isEmpty)
  }

  @Test func keyWipeZeroesTheValue() throws {
    var key = Key.generatePrivate()
    #expect(!key.isZero)
    key.wipe()
    #expect(key.isZero)
    #expect(key == Key.zero)
  }

  @Test func keyTextInScratchMatchesTheStringFormsAndIsWiped() {
    for _ in 0..<200 {
      let key = Key.generatePreshared()
      let (texts, log) = WipeLog.observing {
        (key.withBase64 { Array($0) }, key.withHex { Array($0) })
      }
      #expect(texts.0 == Array(key.base64.utf8))
      #expect(texts.1 == Array(key.hex.utf8))
      #expect(log.wipedRegions(holding: texts.0).count == 1)
      #expect(log.wipedRegions(holding: texts.1).count == 1)
      var out: [UInt8] = [1, 2]
      let (_, appendLog) = WipeLog.observing { key.appendBase64(to: &out) }
      #expect(out == [1, 2] + texts.0)
      #expect(appendLog.wipedRegions(holding: texts.0).count == 1)
    }
  }

  @Test func changeAndDeviceKeysAreZeroedInPlace() {
    let psk = Key.generatePreshared()
    let pub = Key.generatePreshared()
    var change = DeviceChange(
      privateKey: Key.generatePrivate(), listenPort: 1,
      peers: (0..<100).map { i in
        PeerChange(publicKey: pub, presharedKey: i % 2 == 0 ? psk : nil)
      })
    let before = change.peers.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
    change.wipeKeys()
    #expect(change.peers.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) } == before)
    #expect(change.privateKey == .zero)
    #expect(change.peers.allSatisfy { $0.presharedKey == nil || $0.presharedKey == .zero })
    #expect(change.peers.filter { $0.presharedKey == .zero }.count == 50)
    #expect(change.peers.allSatisfy { $0.publicKey == pub })

    var device = Device(name: "wg0", privateKey: Key.generatePrivate())
    device.peers = [Peer(publicKey: pub), Peer(publicKey: pub)]
    device.peers[1].presharedKey = psk
    device.wipeKeys()
    #expect(device.privateKey == .zero && device.peers[0].presharedKey == nil)
    #expect(device.peers[1].presharedKey == .zero && device.peers[1].publicKey == pub)
  }

  @Test func growingAPeerListZeroesTheKeysLeftInTheOldStorage() {
    let psks = (0..<40).map { _ in Key.generatePreshared() }
    var list: [PeerChange] = []
    var plain: [PeerChange] = []
    var wipedPSKs = 0
    for (i, psk) in psks.enumerated() {
      let peer = PeerChange(
        publicKey: Key.generatePreshared(), presharedKey: i % 3 == 0 ? nil : psk)
      plain.append(peer)
      let full = list.count == list.capacity && !list.isEmpty
      let held = list.compactMap(\.presharedKey).map(\.bytes)
      let (_, log) = WipeLog.observing { appendWipingOldStorage(&list, peer) }
      if full {
        // Every preshared key in the outgrown storage was zeroed there.
        for key in held { #expect(log.wipedRegions(holding: key).count == 1) }
        wipedPSKs += held.count
      } else {
        #expect(log.events.isEmpty)
      }
    }
    #expect(list == plain)
    #expect(wipedPSKs > 0)
  }

  @Test func noObserverNoEffect() {
    // Production: wipes run with no observer and still zero.
    var bytes = [UInt8](repeating: 3, count: 10)
    wipe(&bytes)
    #expect(bytes == [UInt8](repeating: 0, count: 10))
  }
}
