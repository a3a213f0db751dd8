import SWGCore

extension Device {
  /// The device after `change`, as the kernel (and wireguard-go) apply a set request:
  /// the all-zero private key removes the identity, and a peer whose key equals the new
  /// public key is dropped; peers are replaced, removed, updated or appended in order; a
  /// peer with the device's own public key is ignored; an allowed IP is masked to its
  /// prefix, and adding it to one peer takes it away from any other.
  ///
  /// Used to predict what a change does (tests, `asDevice`); allowed-IP order here is
  /// insertion order, where a real device lists them in its own trie order.
  public func applying(_ change: DeviceChange) -> Device {
    var device = self
    if let key = change.privateKey {
      if key.isZero {
        device.privateKey = nil
        device.publicKey = nil
      } else {
        let pub = key.publicKey
        device.privateKey = key
        device.publicKey = pub
        device.peers.removeAll { $0.publicKey == pub }
      }
    }
    if let port = change.listenPort { device.listenPort = port }
    if let mark = change.fwmark { device.fwmark = mark }
    if change.replacePeers { device.peers = [] }
    for peerChange in change.peers {
      if let own = device.publicKey, own == peerChange.publicKey { continue }
      let existing = device.peers.firstIndex { $0.publicKey == peerChange.publicKey }
      if peerChange.remove {
        if let existing { device.peers.remove(at: existing) }
        continue
      }
      let index: Int
      if let existing {
        index = existing
      } else if peerChange.updateOnly {
        continue
      } else {
        device.peers.append(Peer(publicKey: peerChange.publicKey))
        index = device.peers.count - 1
      }
      if let psk = peerChange.presharedKey {
        device.peers[index].presharedKey = psk.isZero ? nil : psk
      }
      if let endpoint = peerChange.endpoint { device.peers[index].endpoint = endpoint }
      if let keepalive = peerChange.persistentKeepalive {
        device.peers[index].persistentKeepalive = keepalive
      }
      if peerChange.replaceAllowedIPs { device.peers[index].allowedIPs = [] }
      for entry in peerChange.allowedIPs {
        let ip = entry.allowedIP.masked
        if entry.remove {
          device.peers[index].allowedIPs.removeAll { $0 == ip }
        } else {
          for other in device.peers.indices {
            device.peers[other].allowedIPs.removeAll { $0 == ip }
          }
          device.peers[index].allowedIPs.append(ip)
        }
      }
    }
    return device
  }
}
