import SWGCore

extension ConfigFile {
  /// The device `wg setconf` would leave behind on a fresh interface: the all-zero private
  /// key means none, allowed IPs are masked to their prefix as the kernel does, `-` entries
  /// remove earlier ones, and a repeated peer is merged into its first appearance.
  /// Runtime-only fields (handshake, transfer) are zero.
  public func asDevice(named name: String) -> Device {
    var device = Device(name: name, listenPort: listenPort ?? 0, fwmark: fwmark ?? 0)
    if let privateKey, !privateKey.isZero {
      device.privateKey = privateKey
      device.publicKey = privateKey.publicKey
    }
    for change in peers {
      if change.remove {
        device.peers.removeAll { $0.publicKey == change.publicKey }
        continue
      }
      let index: Int
      if let existing = device.peers.firstIndex(where: { $0.publicKey == change.publicKey }) {
        index = existing
      } else if change.updateOnly {
        continue
      } else {
        device.peers.append(Peer(publicKey: change.publicKey))
        index = device.peers.count - 1
      }
      if let psk = change.presharedKey { device.peers[index].presharedKey = psk.isZero ? nil : psk }
      if let endpoint = change.endpoint { device.peers[index].endpoint = endpoint }
      if let keepalive = change.persistentKeepalive {
        device.peers[index].persistentKeepalive = keepalive
      }
      if change.replaceAllowedIPs { device.peers[index].allowedIPs = [] }
      for entry in change.allowedIPs {
        let ip = entry.allowedIP.masked
        device.peers[index].allowedIPs.removeAll { $0 == ip }
        if !entry.remove { device.peers[index].allowedIPs.append(ip) }
      }
    }
    return device
  }
}

extension AllowedIP {
  /// The prefix with its host bits cleared, as the kernel stores it.
  var masked: AllowedIP {
    var copy = self
    switch address {
    case .v4(let a):
      let mask: UInt32 = cidr == 0 ? 0 : UInt32.max << (32 - UInt32(cidr))
      copy.address = .v4(IPv4Address(a.value & mask))
    case .v6(let a):
      let highMask: UInt64 =
        cidr == 0 ? 0 : (cidr >= 64 ? UInt64.max : UInt64.max << (64 - UInt64(cidr)))
      let lowMask: UInt64 =
        cidr <= 64 ? 0 : (cidr >= 128 ? UInt64.max : UInt64.max << (128 - UInt64(cidr)))
      copy.address = .v6(IPv6Address(high: a.high & highMask, low: a.low & lowMask))
    }
    return copy
  }
}
