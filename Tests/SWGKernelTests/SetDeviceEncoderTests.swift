import Glibc
import Netlink
import SWGCore
import Testing

@testable import SWGKernel

@Suite struct SetDeviceEncoderTests {
  @Test func oneMessageGoldenBytes() throws {
    let change = DeviceChange(
      privateKey: key(0x11), listenPort: 51820, fwmark: 0x1234, replacePeers: true,
      peers: [
        PeerChange(
          publicKey: key(0x22), presharedKey: key(0x33),
          endpoint: .v4(IPv4Address(bytes: [127, 0, 0, 1])!, port: 51821), persistentKeepalive: 25,
          replaceAllowedIPs: true,
          allowedIPs: [
            AllowedIPChange(ip("10.0.0.0/24")), AllowedIPChange(ip("fd00::/64"), remove: true),
          ])
      ])
    var m = try #require(
      try SetDeviceEncoder.messages(for: change, interface: "wg0", familyID: 0x23).first)
    m.stamp(sequence: 1, portID: 0)
    let k11 = String(repeating: "11", count: 32)
    let k22 = String(repeating: "22", count: 32)
    let k33 = String(repeating: "33", count: 32)
    let expected = hex(
      """
      1c010000 2300 0500 01000000 00000000   # nlmsghdr: len 284, family 0x23, REQUEST|ACK, seq 1
      01 01 0000                             # genlmsghdr: WG_CMD_SET_DEVICE, version 1
      0800 0200 77673000                     # WGDEVICE_A_IFNAME "wg0"
      2400 0300 \(k11)                       # WGDEVICE_A_PRIVATE_KEY
      0600 0600 6cca 0000                    # WGDEVICE_A_LISTEN_PORT 51820 (host order)
      0800 0700 34120000                     # WGDEVICE_A_FWMARK 0x1234
      0800 0500 01000000                     # WGDEVICE_A_FLAGS REPLACE_PEERS
      c400 0880                              # WGDEVICE_A_PEERS (nested), len 196
      c000 0080                              #   peer 0 (nested), len 192
      2400 0100 \(k22)                       #     WGPEER_A_PUBLIC_KEY
      2400 0200 \(k33)                       #     WGPEER_A_PRESHARED_KEY
      1400 0400 0200 ca6d 7f000001 0000000000000000  # WGPEER_A_ENDPOINT sockaddr_in, port/addr big-endian
      0600 0500 1900 0000                    #     WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL 25
      0800 0300 02000000                     #     WGPEER_A_FLAGS REPLACE_ALLOWEDIPS
      5000 0980                              #     WGPEER_A_ALLOWEDIPS (nested), len 80
      1c00 0080                              #       ip 0, len 28
      0600 0100 0200 0000                    #         WGALLOWEDIP_A_FAMILY AF_INET
      0800 0200 0a000000                     #         WGALLOWEDIP_A_IPADDR 10.0.0.0
      0500 0300 18 000000                    #         WGALLOWEDIP_A_CIDR_MASK 24
      3000 0080                              #       ip 1, len 48
      0600 0100 0a00 0000                    #         WGALLOWEDIP_A_FAMILY AF_INET6
      1400 0200 fd000000000000000000000000000000  #     WGALLOWEDIP_A_IPADDR fd00::
      0500 0300 40 000000                    #         WGALLOWEDIP_A_CIDR_MASK 64
      0800 0400 01000000                     #         WGALLOWEDIP_A_FLAGS REMOVE_ME
      """)
    #expect(m.bytes == expected)
  }

  @Test func emptyChangeStillNamesTheDevice() throws {
    let messages = try SetDeviceEncoder.messages(
      for: DeviceChange(), interface: "wg0", familyID: 30)
    #expect(messages.count == 1)
    let s = try decodeSet(messages[0].bytes)
    #expect(s.ifname == "wg0" && !s.hasPeers && s.flags == nil && s.port == nil)
  }

  @Test func removedPeerCarriesOnlyItsKeyAndFlag() throws {
    let change = DeviceChange(peers: [
      PeerChange(
        publicKey: key(1), remove: true, presharedKey: key(2),
        allowedIPs: [AllowedIPChange(ip("10.0.0.0/8"))])
    ])
    let s = try decodeSet(
      try SetDeviceEncoder.messages(for: change, interface: "wg0", familyID: 30)[0].bytes)
    #expect(s.peers == [SentPeer(key: key(1), flags: 1)])
  }

  /// Reassembles the peers of a message sequence and checks wg's fragment rules.
  func checkFragments(_ change: DeviceChange, limit: Int) throws -> [SentSet] {
    let messages = try SetDeviceEncoder.messages(
      for: change, interface: "wg0", familyID: 30, limit: limit)
    let sets = try messages.map { try decodeSet($0.bytes) }
    #expect(sets.allSatisfy { $0.size <= limit && $0.ifname == "wg0" })
    // Device attributes and REPLACE_PEERS: first message only.
    #expect(
      sets.dropFirst().allSatisfy {
        $0.privateKey == nil && $0.port == nil && $0.fwmark == nil && $0.flags == nil
      })
    #expect(sets.first?.flags == (change.replacePeers ? 1 : nil))
    // Concatenate; a peer continued in the next message must have only key, flags and IPs.
    var rebuilt: [PeerChange] = []
    var previousLast: Key?
    for (n, s) in sets.enumerated() {
      for (i, p) in s.peers.enumerated() {
        let flags = p.flags ?? 0
        if i == 0 && n > 0 && p.key == previousLast, let last = rebuilt.last,
          last.publicKey == p.key,
          !last.remove, flags & 2 == 0
        {
          #expect(
            p.psk == nil && p.endpoint == nil && p.keepalive == nil, "continuation carries only IPs"
          )
          rebuilt[rebuilt.count - 1].allowedIPs += p.ips
          continue
        }
        rebuilt.append(
          PeerChange(
            publicKey: p.key, remove: flags & 1 != 0, updateOnly: flags & 4 != 0,
            presharedKey: p.psk,
            endpoint: p.endpoint, persistentKeepalive: p.keepalive,
            replaceAllowedIPs: flags & 2 != 0,
            allowedIPs: p.ips))
      }
      previousLast = s.peers.last?.key
    }
    #expect(rebuilt == change.peers)
    return sets
  }

  @Test(arguments: [4096, 8192])
  func fiveThousandPeersWithFourAllowedIPsEach(limit: Int) throws {
    var peers: [PeerChange] = []
    for n in 0..<5000 {
      var ips: [AllowedIPChange] = []
      for j in 0..<4 {
        let m = n * 4 + j
        let v4: IPAddress = .v4(IPv4Address(UInt32(0x0A00_0000 + m)))
        let v6: IPAddress = .v6(IPv6Address(high: 0xfd00 << 48, low: UInt64(m)))
        ips.append(
          AllowedIPChange(
            j < 3 ? AllowedIP(address: v4, cidr: 32)! : AllowedIP(address: v6, cidr: 128)!))
      }
      peers.append(
        PeerChange(
          publicKey: key(number: n), presharedKey: n % 3 == 0 ? key(number: n + 1) : nil,
          endpoint: n % 5 == 0 ? .v6(IPv6Address(high: 0, low: 1), port: UInt16(n)) : nil,
          persistentKeepalive: n % 7 == 0 ? 25 : nil, replaceAllowedIPs: true, allowedIPs: ips))
    }
    let change = DeviceChange(
      privateKey: key(9), listenPort: 1, fwmark: 2, replacePeers: true, peers: peers)
    let sets = try checkFragments(change, limit: limit)
    #expect(sets.count > 50)
    #expect(Set(sets.flatMap { $0.peers.map(\.key) }).count == 5000)
    // As wg does, a peer whose allowed IPs do not all fit is split, not moved whole.
    #expect(sets.flatMap(\.peers).count > 5000)
  }

  @Test(arguments: [4096, 8192])
  func onePeerWithTwentyThousandAllowedIPs(limit: Int) throws {
    let ips = (0..<20000).map { (m: Int) -> AllowedIPChange in
      let v4: IPAddress = .v4(IPv4Address(UInt32(0xAC10_0000 + m)))
      let v6: IPAddress = .v6(IPv6Address(high: 0xfd01 << 48, low: UInt64(m)))
      let prefix =
        m % 2 == 0 ? AllowedIP(address: v4, cidr: 32)! : AllowedIP(address: v6, cidr: 128)!
      return AllowedIPChange(prefix, remove: m % 1000 == 999)
    }
    let big = PeerChange(
      publicKey: key(1), presharedKey: key(2), endpoint: .v4(IPv4Address(0x7F00_0001), port: 9),
      persistentKeepalive: 5, replaceAllowedIPs: true, allowedIPs: ips)
    let after = PeerChange(
      publicKey: key(3), replaceAllowedIPs: true,
      allowedIPs: [AllowedIPChange(ip("192.168.0.0/16"))])
    let sets = try checkFragments(DeviceChange(peers: [big, after]), limit: limit)
    #expect(sets.count > 10)
    // The first fragment has REPLACE_ALLOWEDIPS and the peer's fields; the rest have neither.
    #expect(sets[0].peers[0].flags == 2 && sets[0].peers[0].psk == key(2))
    #expect(
      sets.dropFirst().allSatisfy { $0.peers.first?.key != key(1) || $0.peers.first?.flags == nil })
    // The second peer starts in the message where the big one ends, with its own flags.
    let last = try #require(sets.last)
    #expect(
      last.peers.last
        == SentPeer(
          key: key(3), flags: 2, hasAllowedIPs: true, ips: [AllowedIPChange(ip("192.168.0.0/16"))]))
  }

  @Test func continuationKeepsRemoveAndUpdateOnlyFlags() throws {
    let ips = (0..<2000).map {
      AllowedIPChange(AllowedIP(address: .v4(IPv4Address(UInt32(0x0A00_0000 + $0))), cidr: 32)!)
    }
    let peer = PeerChange(
      publicKey: key(1), updateOnly: true, replaceAllowedIPs: true, allowedIPs: ips)
    let sets = try checkFragments(DeviceChange(peers: [peer]), limit: 4096)
    #expect(sets.count > 2)
    #expect(sets[0].peers[0].flags == 6)
    #expect(sets.dropFirst().allSatisfy { $0.peers.map(\.flags) == [4] })
  }

  @Test func aLimitTooSmallForAnyProgressThrowsInsteadOfLooping() {
    let change = DeviceChange(peers: [PeerChange(publicKey: key(1), presharedKey: key(2))])
    #expect(throws: NetlinkError.noRoom) {
      try SetDeviceEncoder.messages(for: change, interface: "wg0", familyID: 30, limit: 80)
    }
  }
}
