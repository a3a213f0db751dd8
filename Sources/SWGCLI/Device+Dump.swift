import SWGCore

/// The script-friendly `show` selectors (`wg show IFACE FIELD`).
public enum ShowField: String, CaseIterable, Sendable {
  case publicKey = "public-key"
  case privateKey = "private-key"
  case listenPort = "listen-port"
  case fwmark
  case peers
  case presharedKeys = "preshared-keys"
  case endpoints
  case allowedIPs = "allowed-ips"
  case latestHandshakes = "latest-handshakes"
  case transfer
  case persistentKeepalive = "persistent-keepalive"
  case dump
}

extension Device {
  /// `wg show IFACE FIELD` text; with `withInterface` every line starts `IFACE\t`
  /// (`wg show all FIELD`, v1.0.20250521+ behaviour for every selector).
  public func fieldText(_ field: ShowField, withInterface: Bool) -> String {
    var out = Output()
    appendField(field, withInterface: withInterface, to: &out)
    return out.text
  }

  /// Appends `wg show IFACE FIELD` text.
  public func appendField(_ field: ShowField, withInterface: Bool, to out: inout Output) {
    @inline(__always) func prefix(_ out: inout Output) {
      if withInterface {
        out.append(name)
        out.append(byte: 9)
      }
    }
    switch field {
    case .publicKey:
      prefix(&out)
      appendMaybeKey(publicKey, to: &out)
      out.append(byte: 10)
    case .privateKey:
      prefix(&out)
      appendMaybeKey(privateKey, to: &out)
      out.append(byte: 10)
    case .listenPort:
      prefix(&out)
      out.append(decimal: UInt64(listenPort))
      out.append(byte: 10)
    case .fwmark:
      prefix(&out)
      appendFwmark(to: &out)
      out.append(byte: 10)
    case .dump:
      appendDump(withInterface: withInterface, to: &out)
    case .peers, .presharedKeys, .endpoints, .allowedIPs, .latestHandshakes, .transfer,
      .persistentKeepalive:
      for peer in peers {
        prefix(&out)
        out.append(key: peer.publicKey)
        switch field {
        case .presharedKeys:
          out.append(byte: 9)
          appendMaybeKey(peer.presharedKey, to: &out)
        case .endpoints:
          out.append(byte: 9)
          if let e = peer.endpoint { out.append(endpoint: e) } else { out.append("(none)") }
        case .allowedIPs:
          out.append(byte: 9)
          peer.appendAllowedIPs(separator: 32, to: &out)
        case .latestHandshakes:
          out.append(byte: 9)
          out.append(decimal: UInt64(bitPattern: peer.lastHandshake.seconds))
        case .transfer:
          out.append(byte: 9)
          out.append(decimal: peer.rxBytes)
          out.append(byte: 9)
          out.append(decimal: peer.txBytes)
        case .persistentKeepalive:
          out.append(byte: 9)
          peer.appendKeepalive(to: &out)
        default:
          break
        }
        out.append(byte: 10)
        out.flushIfFull()
      }
    }
  }

  /// `wg show IFACE dump`: the device line, then one line per peer, tab separated.
  public func appendDump(withInterface: Bool, to out: inout Output) {
    if withInterface {
      out.append(name)
      out.append(byte: 9)
    }
    appendMaybeKey(privateKey, to: &out)
    out.append(byte: 9)
    appendMaybeKey(publicKey, to: &out)
    out.append(byte: 9)
    out.append(decimal: UInt64(listenPort))
    out.append(byte: 9)
    appendFwmark(to: &out)
    out.append(byte: 10)
    for peer in peers {
      if withInterface {
        out.append(name)
        out.append(byte: 9)
      }
      out.append(key: peer.publicKey)
      out.append(byte: 9)
      appendMaybeKey(peer.presharedKey, to: &out)
      out.append(byte: 9)
      if let e = peer.endpoint { out.append(endpoint: e) } else { out.append("(none)") }
      out.append(byte: 9)
      peer.appendAllowedIPs(separator: 44, to: &out)
      out.append(byte: 9)
      out.append(decimal: UInt64(bitPattern: peer.lastHandshake.seconds))
      out.append(byte: 9)
      out.append(decimal: peer.rxBytes)
      out.append(byte: 9)
      out.append(decimal: peer.txBytes)
      out.append(byte: 9)
      peer.appendKeepalive(to: &out)
      out.append(byte: 10)
      out.flushIfFull()
    }
  }

  private func appendFwmark(to out: inout Output) {
    if fwmark != 0 {
      out.append("0x")
      out.append(hex: fwmark)
    } else {
      out.append("off")
    }
  }
}

@inline(__always)
private func appendMaybeKey(_ key: Key?, to out: inout Output) {
  if let key { out.append(key: key) } else { out.append("(none)") }
}

extension Peer {
  /// Allowed IPs joined by `separator` (space for the selector, comma for dump), or `(none)`.
  func appendAllowedIPs(separator: UInt8, to out: inout Output) {
    if allowedIPs.isEmpty {
      out.append("(none)")
      return
    }
    var first = true
    for ip in allowedIPs {
      if !first { out.append(byte: separator) }
      first = false
      out.append(address: ip.address)
      out.append(byte: 47)
      out.append(decimal: UInt64(ip.cidr))
    }
  }

  func appendKeepalive(to out: inout Output) {
    if persistentKeepalive != 0 {
      out.append(decimal: UInt64(persistentKeepalive))
    } else {
      out.append("off")
    }
  }
}
