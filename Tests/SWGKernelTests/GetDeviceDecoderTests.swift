import Glibc
import Netlink
import SWGCore
import Testing

@testable import SWGKernel

@Suite struct GetDeviceDecoderTests {
  let k1 = String(repeating: "01", count: 32)
  let k2 = String(repeating: "02", count: 32)
  let k3 = String(repeating: "03", count: 32)

  /// A first dump message as Linux's netlink.c builds it (attribute order included).
  var firstMessage: [UInt8] {
    hex(
      """
      00 01 0000                           # genlmsghdr: WG_CMD_GET_DEVICE, version 1
      0600 0600 6cca 0000                  # WGDEVICE_A_LISTEN_PORT 51820
      0800 0700 07000000                   # WGDEVICE_A_FWMARK 7
      0800 0100 05000000                   # WGDEVICE_A_IFINDEX 5
      0800 0200 77673000                   # WGDEVICE_A_IFNAME "wg0"
      2400 0300 \(k1)                      # WGDEVICE_A_PRIVATE_KEY
      2400 0400 \(k2)                      # WGDEVICE_A_PUBLIC_KEY
      cc00 0880                            # WGDEVICE_A_PEERS, len 204
      c800 0080                            #   peer, len 200
      2400 0100 \(k3)                      #     WGPEER_A_PUBLIC_KEY
      2400 0200 \(String(repeating: "00", count: 32))  # WGPEER_A_PRESHARED_KEY (zeros: none)
      1400 0600 0a00000000000000 0b00000000000000      # WGPEER_A_LAST_HANDSHAKE_TIME 10 s 11 ns
      0600 0500 1900 0000                  #     WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL 25
      0c00 0800 e803000000000000           #     WGPEER_A_TX_BYTES 1000
      0c00 0700 d007000000000000           #     WGPEER_A_RX_BYTES 2000
      0800 0a00 01000000                   #     WGPEER_A_PROTOCOL_VERSION 1
      2000 0400 0a00 ca6c 00000000 fd000000000000000000000000000001 00000000  # ENDPOINT sockaddr_in6 [fd00::1]:51820
      2000 0980                            #     WGPEER_A_ALLOWEDIPS, len 32
      1c00 0080                            #       ip, len 28
      0500 0300 18 000000                  #         WGALLOWEDIP_A_CIDR_MASK 24
      0600 0100 0200 0000                  #         WGALLOWEDIP_A_FAMILY AF_INET
      0800 0200 0a000100                   #         WGALLOWEDIP_A_IPADDR 10.0.1.0
      """)
  }

  /// A continuation: the same peer with only its key and more allowed IPs.
  var continuation: [UInt8] {
    hex(
      """
      00 01 0000                           # genlmsghdr
      5800 0880                            # WGDEVICE_A_PEERS, len 88
      5400 0080                            #   peer, len 84
      2400 0100 \(k3)                      #     WGPEER_A_PUBLIC_KEY (same peer)
      2c00 0980                            #     WGPEER_A_ALLOWEDIPS, len 44
      2800 0080                            #       ip, len 40
      0500 0300 80 000000                  #         WGALLOWEDIP_A_CIDR_MASK 128
      0600 0100 0a00 0000                  #         WGALLOWEDIP_A_FAMILY AF_INET6
      1400 0200 fd000000000000000000000000000002  # WGALLOWEDIP_A_IPADDR fd00::2
      """)
  }

  var expected: Device {
    Device(
      name: "wg0", ifindex: 5, privateKey: key(1), publicKey: key(2), listenPort: 51820, fwmark: 7,
      peers: [
        Peer(
          publicKey: key(3), presharedKey: nil,
          endpoint: .v6(IPv6Address("fd00::1")!, port: 51820), persistentKeepalive: 25,
          lastHandshake: Timespec(seconds: 10, nanoseconds: 11), rxBytes: 2000, txBytes: 1000,
          allowedIPs: [ip("10.0.1.0/24"), ip("fd00::2/128")])
      ])
  }

  @Test func decodesAFirstMessageAndCoalescesTheContinuation() throws {
    var a = DeviceDumpAssembler(name: "wg0")
    try a.add(payload: firstMessage[...])
    try a.add(payload: continuation[...])
    #expect(a.device == expected)
  }

  /// wg's coalesce_peers(): only a peer whose key equals the peer just before it is a
  /// continuation. The same key further on stays a peer of its own, as wg prints it.
  @Test func onlyAnAdjacentRepeatIsAContinuation() throws {
    func peer(_ key: String, _ ip: UInt8) -> [UInt8] {
      nest(0, hex("2400 0100 \(key)") + nest(9, nest(0, attr(3, [32]) + attr(1, le16(2)) + attr(2, [10, 0, 0, ip]))))
    }
    let message = { (peers: [UInt8]) -> [UInt8] in [0, 1, 0, 0] + nest(8, peers) }
    var a = DeviceDumpAssembler(name: "wg0")
    try a.add(payload: message(peer(k1, 1) + peer(k2, 2))[...])
    try a.add(payload: message(peer(k2, 3) + peer(k1, 4))[...])
    try a.add(payload: message(peer(k1, 5))[...])
    let peers = a.device.peers
    #expect(peers.map(\.publicKey.hex) == [k1, k2, k1])
    #expect(peers.map { $0.allowedIPs.map(\.description) } == [["10.0.0.1/32"], ["10.0.0.2/32", "10.0.0.3/32"], ["10.0.0.4/32", "10.0.0.5/32"]])
  }

  @Test func peerWithoutPublicKeyIsAnError() {
    let bad = [0, 1, 0, 0] + nest(8, nest(0, attr(5, le16(1) + [0, 0])))
    var a = DeviceDumpAssembler(name: "wg0")
    #expect(throws: NetlinkError.self) { try a.add(payload: bad[...]) }
  }

  @Test(arguments: [
    ("AF_INET with /33", attr(3, [33]) + attr(1, le16(2)) + attr(2, [10, 0, 0, 0])),
    (
      "AF_INET with 16 bytes",
      attr(3, [8]) + attr(1, le16(2)) + attr(2, [UInt8](repeating: 0, count: 16))
    ),
    ("unknown family", attr(3, [8]) + attr(1, le16(7)) + attr(2, [10, 0, 0, 0])),
    ("no mask", attr(1, le16(2)) + attr(2, [10, 0, 0, 0])),
    ("wide mask", attr(3, le16(8)) + attr(1, le16(2)) + attr(2, [10, 0, 0, 0])),
  ])
  func badAllowedIPIsAnError(name: String, ipAttributes: [UInt8]) {
    let bad =
      [0, 1, 0, 0]
      + nest(8, nest(0, attr(1, [UInt8](repeating: 9, count: 32)) + nest(9, nest(0, ipAttributes))))
    var a = DeviceDumpAssembler(name: "wg0")
    #expect(throws: NetlinkError.self) { try a.add(payload: bad[...]) }
  }

  @Test func oddEndpointIsIgnoredAsWgDoes() throws {
    let odd =
      [0, 1, 0, 0]
      + nest(8, nest(0, attr(1, [UInt8](repeating: 9, count: 32)) + attr(4, [2, 0, 0, 1, 1, 2])))
    var a = DeviceDumpAssembler(name: "wg0")
    try a.add(payload: odd[...])
    #expect(a.device.peers.count == 1 && a.device.peers[0].endpoint == nil)
  }

  @Test func mutatedDumpsNeverTrap() {
    let valid = [firstMessage, continuation]
    var state: UInt64 = 3
    func rand(_ n: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int(truncatingIfNeeded: (state >> 33) % UInt64(max(n, 1)))
    }
    var errors = 0
    for round in 0..<20000 {
      var b = valid[round % 2]
      for _ in 0...rand(3) {
        switch rand(4) {
        case 0: if !b.isEmpty { b[rand(b.count)] = UInt8(rand(256)) }
        case 1: b = Array(b.prefix(rand(b.count + 1)))
        case 2:
          if b.count > 2 {
            let i = rand(b.count - 1)
            b[i] = UInt8(rand(256))
            b[i + 1] = [0, 0xFF, 0x80][rand(3)]
          }
        default: b.insert(UInt8(rand(256)), at: rand(b.count + 1))
        }
      }
      var a = DeviceDumpAssembler(name: "wg0")
      do { try a.add(payload: b[...]) } catch { errors += 1 }
    }
    #expect(errors > 1000)
  }
}
