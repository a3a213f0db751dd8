import SWGCore

extension Device {
  /// Appends `wg showconf` text straight into the byte buffer, flushing as it goes.
  ///
  /// Same text as SWGConfig's `Device.showconf` (a unit test holds them equal); this one
  /// avoids building one big String, which made 50,000-peer showconf cost 1.5x wg's CPU.
  public func appendShowconf(to out: inout Output) {
    out.append("[Interface]\n")
    if listenPort != 0 {
      out.append("ListenPort = ")
      out.append(decimal: UInt64(listenPort))
      out.append(byte: 10)
    }
    if fwmark != 0 {
      out.append("FwMark = 0x")
      out.append(hex: fwmark)
      out.append(byte: 10)
    }
    if let privateKey {
      out.append("PrivateKey = ")
      out.append(key: privateKey)
      out.append(byte: 10)
    }
    out.append(byte: 10)
    for (n, peer) in peers.enumerated() {
      out.append("[Peer]\nPublicKey = ")
      out.append(key: peer.publicKey)
      out.append(byte: 10)
      if let psk = peer.presharedKey, !psk.isZero {
        out.append("PresharedKey = ")
        out.append(key: psk)
        out.append(byte: 10)
      }
      if !peer.allowedIPs.isEmpty {
        out.append("AllowedIPs = ")
        for (i, ip) in peer.allowedIPs.enumerated() {
          if i > 0 { out.append(", ") }
          out.append(address: ip.address)
          out.append(byte: 47)
          out.append(decimal: UInt64(ip.cidr))
        }
        out.append(byte: 10)
      }
      if let endpoint = peer.endpoint {
        out.append("Endpoint = ")
        out.append(endpoint: endpoint)
        out.append(byte: 10)
      }
      if peer.persistentKeepalive != 0 {
        out.append("PersistentKeepalive = ")
        out.append(decimal: UInt64(peer.persistentKeepalive))
        out.append(byte: 10)
      }
      if n + 1 < peers.count { out.append(byte: 10) }
      out.flushIfFull()
    }
  }
}
