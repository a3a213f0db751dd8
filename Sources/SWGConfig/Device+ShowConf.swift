import Glibc
import SWGCore

extension Device {
  /// The device as `wg showconf` prints it: a config file that `setconf` reads back to the
  /// same state. Contains the private key.
  public var showconf: String {
    var out = "[Interface]\n"
    if listenPort != 0 { out += "ListenPort = \(listenPort)\n" }
    if fwmark != 0 { out += "FwMark = 0x\(String(fwmark, radix: 16))\n" }
    if let privateKey { out += "PrivateKey = \(privateKey.base64)\n" }
    out += "\n"
    for (i, peer) in peers.enumerated() {
      out += "[Peer]\nPublicKey = \(peer.publicKey.base64)\n"
      if let psk = peer.presharedKey, !psk.isZero { out += "PresharedKey = \(psk.base64)\n" }
      if !peer.allowedIPs.isEmpty {
        out += "AllowedIPs = " + peer.allowedIPs.map(\.description).joined(separator: ", ") + "\n"
      }
      if let endpoint = peer.endpoint, let text = showconfText(endpoint) {
        out += "Endpoint = \(text)\n"
      }
      if peer.persistentKeepalive != 0 {
        out += "PersistentKeepalive = \(peer.persistentKeepalive)\n"
      }
      if i + 1 < peers.count { out += "\n" }
    }
    return out
  }
}

/// `host:port` / `[v6]:port` from numeric getnameinfo; nil when it fails (showconf then
/// leaves the line out, where `show` would print the error text).
func showconfText(_ endpoint: Endpoint) -> String? {
  var host = [CChar](repeating: 0, count: 4097)
  var serv = [CChar](repeating: 0, count: 513)
  let flags = NI_DGRAM | NI_NUMERICSERV | NI_NUMERICHOST
  let rc = endpoint.withSockaddr { raw -> Int32 in
    guard let sa = raw.baseAddress?.assumingMemoryBound(to: sockaddr.self) else { return EAI_FAIL }
    return getnameinfo(
      sa, socklen_t(raw.count), &host, socklen_t(host.count), &serv, socklen_t(serv.count), flags)
  }
  guard rc == 0 else { return nil }
  let h = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  let s = String(decoding: serv.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  if case .v6 = endpoint, h.utf8.contains(UInt8(ascii: ":")) { return "[\(h)]:\(s)" }
  return "\(h):\(s)"
}
