import Glibc
import Netlink
import SWGCore
import Testing

@testable import SWGKernel

@Suite struct KernelBackendTests {
  func manyPeers(_ count: Int) -> DeviceChange {
    var peers: [PeerChange] = []
    for n in 0..<count {
      let ips = (0..<4).map { j in
        AllowedIPChange(
          AllowedIP(address: .v4(IPv4Address(UInt32(0x0A00_0000 + n * 4 + j))), cidr: 32)!)
      }
      peers.append(
        PeerChange(
          publicKey: key(number: n),
          endpoint: n % 2 == 0 ? .v4(IPv4Address(0x7F00_0001), port: UInt16(n)) : nil,
          replaceAllowedIPs: true, allowedIPs: ips))
    }
    return DeviceChange(privateKey: key(7), listenPort: 41000, replacePeers: true, peers: peers)
  }

  @Test func fiveThousandPeersRoundTripThroughSetAndGet() throws {
    let kernel = FakeKernel()
    let backend = kernel.backend()
    let change = manyPeers(5000)
    try backend.apply(change, to: "wg0")
    #expect(kernel.setMessages.count > 50)
    let device = try backend.device(named: "wg0")
    #expect(device.peers.count == 5000)
    #expect(device.peers.map(\.publicKey) == change.peers.map(\.publicKey))
    #expect(device.peers.map(\.allowedIPs) == change.peers.map { $0.allowedIPs.map(\.allowedIP) })
    #expect(device.peers.map(\.endpoint) == change.peers.map(\.endpoint))
    #expect(device.listenPort == 41000 && device.privateKey == key(7))
  }

  @Test func twentyThousandIPPeerIsReassembledFromManyMessages() throws {
    let kernel = FakeKernel()
    kernel.dumpLimit = 1024
    let ips = (0..<20000).map {
      AllowedIPChange(AllowedIP(address: .v4(IPv4Address(UInt32(0xAC10_0000 + $0))), cidr: 32)!)
    }
    let change = DeviceChange(peers: [
      PeerChange(publicKey: key(1), allowedIPs: ips),
      PeerChange(publicKey: key(2), allowedIPs: [AllowedIPChange(ip("10.0.0.0/8"))]),
    ])
    try kernel.backend().apply(change, to: "wg0")
    let device = try kernel.backend().device(named: "wg0")
    #expect(device.peers.count == 2)
    #expect(device.peers.first?.allowedIPs == ips.map(\.allowedIP))
    #expect(device.peers.last?.allowedIPs == [ip("10.0.0.0/8")])
  }

  @Test func interruptedDumpIsRestartedFromScratch() throws {
    let kernel = FakeKernel()
    try kernel.backend().apply(manyPeers(50), to: "wg0")
    kernel.interruptDumps = 2
    let device = try kernel.backend().device(named: "wg0")
    #expect(kernel.dumps == 3)
    #expect(device.peers.count == 50)  // not 150: nothing of the interrupted reads is kept
  }

  @Test func endlessInterruptionsGiveUpWithEINTR() {
    let kernel = FakeKernel()
    kernel.interruptDumps = 1000
    let backend = KernelBackend(messageLimit: 4096, dumpRetries: 3) { (_) throws(NetlinkError) in
      NetlinkConnection(transport: kernel)
    }
    #expect(throws: Errno(EINTR)) { try backend.device(named: "wg0") }
  }

  @Test func kernelErrorsBecomeErrnoValues() {
    let kernel = FakeKernel()
    #expect(throws: Errno(ENODEV)) { try kernel.backend().device(named: "wg1") }
    #expect(throws: Errno(ENODEV)) {
      try kernel.backend().apply(DeviceChange(listenPort: 1), to: "wg1")
    }
    // As upstream wg: a 16-byte name is refused before anything is sent (ENAMETOOLONG); on
    // set it is cut to 15 bytes first (wg copies it into a 16-byte buffer), so the kernel
    // finds no device.
    #expect(throws: Errno(ENAMETOOLONG)) {
      try kernel.backend().device(named: "abcdefghijklmnop")
    }
    #expect(throws: Errno(ENODEV)) {
      try kernel.backend().apply(DeviceChange(), to: "abcdefghijklmnop")
    }
    kernel.device.name = "abcdefghijklmno"
    #expect(throws: Never.self) {
      try kernel.backend().apply(DeviceChange(), to: "abcdefghijklmnop")
    }
  }

  @Test func allowedIPRemovalFallsBackWhenTheKernelRefusesIt() throws {
    let kernel = FakeKernel()
    let backend = kernel.backend()
    try backend.apply(
      DeviceChange(peers: [
        PeerChange(
          publicKey: key(1),
          allowedIPs: ["10.0.0.0/24", "10.0.1.0/24", "fd00::/64"].map { AllowedIPChange(ip($0)) }),
        PeerChange(publicKey: key(2), allowedIPs: [AllowedIPChange(ip("10.9.0.0/16"))]),
      ]), to: "wg0")
    kernel.setMessages = []
    let change = DeviceChange(peers: [
      PeerChange(publicKey: key(2), allowedIPs: [AllowedIPChange(ip("10.0.0.0/24"))]),
      PeerChange(
        publicKey: key(1),
        allowedIPs: [
          AllowedIPChange(ip("10.0.2.0/24")), AllowedIPChange(ip("10.0.1.7/24"), remove: true),
          AllowedIPChange(ip("10.0.0.0/24"), remove: true),
          AllowedIPChange(ip("fd00::/64"), remove: true),
        ]),
    ])
    try backend.apply(change, to: "wg0")
    // First try refused (EINVAL), then one message without WGALLOWEDIP_A_FLAGS and with
    // REPLACE_ALLOWEDIPS for the peer that removes.
    #expect(kernel.setMessages.count == 2)
    let retry = try #require(kernel.setMessages.last)
    #expect(retry.peers.allSatisfy { !$0.ips.contains(where: \.remove) })
    #expect(retry.peers.last?.flags == 2)
    let device = try backend.device(named: "wg0")
    #expect(device.peers.first { $0.publicKey == key(1) }?.allowedIPs == [ip("10.0.2.0/24")])
    #expect(
      device.peers.first { $0.publicKey == key(2) }?.allowedIPs == [
        ip("10.9.0.0/16"), ip("10.0.0.0/24"),
      ])
  }

  @Test func allowedIPRemovalIsSentAsIsWhenTheKernelHasIt() throws {
    let kernel = FakeKernel()
    kernel.supportsAllowedIPRemoval = true
    let backend = kernel.backend()
    try backend.apply(
      DeviceChange(peers: [
        PeerChange(
          publicKey: key(1),
          allowedIPs: [AllowedIPChange(ip("10.0.0.0/24")), AllowedIPChange(ip("10.0.1.0/24"))])
      ]), to: "wg0")
    try backend.apply(
      DeviceChange(peers: [
        PeerChange(
          publicKey: key(1), allowedIPs: [AllowedIPChange(ip("10.0.0.0/24"), remove: true)])
      ]), to: "wg0")
    #expect(kernel.setMessages.count == 2)
    #expect(
      kernel.setMessages.last?.peers.first?.ips == [
        AllowedIPChange(ip("10.0.0.0/24"), remove: true)
      ])
    #expect(try backend.device(named: "wg0").peers.first?.allowedIPs == [ip("10.0.1.0/24")])
  }
}

@Suite struct AllowedIPRemovalFallbackTests {
  let current = Device(
    name: "wg0",
    peers: [
      Peer(publicKey: key(1), allowedIPs: [ip("10.0.0.0/24"), ip("10.0.1.0/24")]),
      Peer(publicKey: key(2), allowedIPs: [ip("10.2.0.0/16")]),
    ])

  @Test func removalsBecomeAWholeListWithReplace() {
    let change = DeviceChange(peers: [
      PeerChange(
        publicKey: key(1),
        allowedIPs: [
          AllowedIPChange(ip("10.0.0.9/24"), remove: true), AllowedIPChange(ip("10.5.0.0/16")),
        ])
    ])
    let out = change.withoutAllowedIPRemovals(current: current)
    #expect(
      out.peers == [
        PeerChange(
          publicKey: key(1), replaceAllowedIPs: true,
          allowedIPs: [AllowedIPChange(ip("10.0.1.0/24")), AllowedIPChange(ip("10.5.0.0/16"))])
      ])
  }

  @Test func peersWithoutRemovalsAreLeftAlone() {
    let p = PeerChange(
      publicKey: key(2), presharedKey: key(9), allowedIPs: [AllowedIPChange(ip("10.3.0.0/16"))])
    #expect(DeviceChange(peers: [p]).withoutAllowedIPRemovals(current: current).peers == [p])
  }

  @Test func replacePeersStartsFromNothing() {
    let change = DeviceChange(
      replacePeers: true,
      peers: [
        PeerChange(
          publicKey: key(1),
          allowedIPs: [
            AllowedIPChange(ip("10.7.0.0/16")), AllowedIPChange(ip("10.0.1.0/24"), remove: true),
          ])
      ])
    #expect(
      change.withoutAllowedIPRemovals(current: current).peers.first?.allowedIPs == [
        AllowedIPChange(ip("10.7.0.0/16"))
      ])
  }

  @Test func aPrefixTakenByALaterPeerIsNotGivenBack() {
    // Peer 2 removes one of its own prefixes, after peer 1 took 10.2.0.0/16 from it.
    let change = DeviceChange(peers: [
      PeerChange(publicKey: key(1), allowedIPs: [AllowedIPChange(ip("10.2.0.0/16"))]),
      PeerChange(
        publicKey: key(2),
        allowedIPs: [
          AllowedIPChange(ip("10.8.0.0/16")), AllowedIPChange(ip("10.9.0.0/16"), remove: true),
        ]),
    ])
    let out = change.withoutAllowedIPRemovals(current: current)
    #expect(out.peers[1].allowedIPs == [AllowedIPChange(ip("10.8.0.0/16"))])
    #expect(out.peers[1].replaceAllowedIPs)
  }

  @Test func updateOnlyForAMissingPeerDropsTheRemovals() {
    let change = DeviceChange(peers: [
      PeerChange(
        publicKey: key(5), updateOnly: true,
        allowedIPs: [
          AllowedIPChange(ip("10.0.0.0/8"), remove: true), AllowedIPChange(ip("10.1.0.0/16")),
        ])
    ])
    let out = change.withoutAllowedIPRemovals(current: current)
    #expect(
      out.peers == [
        PeerChange(
          publicKey: key(5), updateOnly: true, allowedIPs: [AllowedIPChange(ip("10.1.0.0/16"))])
      ])
    #expect(!out.removesAllowedIPs)
  }
}
