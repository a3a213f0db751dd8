import SWGCore
import SWGUAPI

/// The fuzz property of the UAPI `get=1` reply parser, over one input:
/// - it never traps (checked by running it at all);
/// - feeding the reply in small chunks gives what feeding it at once gives;
/// - a reply that parses, written back as a daemon would write it, parses to the same device.
/// Returns what went wrong; empty when every property held.
public func checkUAPIGetReply(_ data: UnsafeRawBufferPointer) -> [String] {
  var problems: [String] = []
  let bytes = Array(data)
  let whole = Result { () throws(UAPIReplyError) -> Device in
    try UAPIGetParser.parse(bytes, interfaceName: "wg0")
  }

  // The same reply in chunks of 1, 2, 3, ... 7 bytes, as a socket might deliver it.
  var parser = UAPIGetParser(interfaceName: "wg0")
  var chunked: Result<Device, UAPIReplyError>?
  var start = 0
  var size = 1
  while start < bytes.count, chunked == nil {
    let end = min(bytes.count, start + size)
    do throws(UAPIReplyError) {
      if try parser.feed(Array(bytes[start..<end])) { break }
    } catch {
      chunked = .failure(error)
    }
    start = end
    size = size % 7 + 1
  }
  if chunked == nil {
    chunked = Result { () throws(UAPIReplyError) -> Device in try parser.finish() }
  }
  if let chunked, !sameOutcome(whole, chunked) {
    problems.append("chunked parse differs: whole \(describe(whole)), chunked \(describe(chunked))")
  }

  if case .success(let device) = whole {
    let text = uapiGetReply(for: device)
    let again = Result { () throws(UAPIReplyError) -> Device in
      try UAPIGetParser.parse(text, interfaceName: "wg0")
    }
    switch again {
    case .success(let d2) where d2 == device: break
    case .success(let d2):
      problems.append("round trip changed the device: \(summary(device)) -> \(summary(d2))")
    case .failure(let e):
      problems.append("round trip refused: \(e); text:\n\(String(decoding: text, as: UTF8.self))")
    }
  }
  return problems
}

/// A `get=1` reply for `device`, in the order and form wireguard-go writes it.
public func uapiGetReply(for device: Device, errno: Int32 = 0) -> [UInt8] {
  var out = ""
  if let k = device.privateKey { out += "private_key=\(k.hex)\n" }
  if device.listenPort != 0 { out += "listen_port=\(device.listenPort)\n" }
  if device.fwmark != 0 { out += "fwmark=\(device.fwmark)\n" }
  for p in device.peers {
    out += "public_key=\(p.publicKey.hex)\n"
    out += "preshared_key=\((p.presharedKey ?? .zero).hex)\n"
    out += "protocol_version=\(p.protocolVersion)\n"
    if let e = p.endpoint { out += "endpoint=\(e)\n" }
    out += "last_handshake_time_sec=\(p.lastHandshake.seconds)\n"
    out += "last_handshake_time_nsec=\(p.lastHandshake.nanoseconds)\n"
    out += "tx_bytes=\(p.txBytes)\n"
    out += "rx_bytes=\(p.rxBytes)\n"
    out += "persistent_keepalive_interval=\(p.persistentKeepalive)\n"
    for a in p.allowedIPs { out += "allowed_ip=\(a)\n" }
  }
  out += "errno=\(errno)\n\n"
  return Array(out.utf8)
}

private func sameOutcome(_ a: Result<Device, UAPIReplyError>, _ b: Result<Device, UAPIReplyError>) -> Bool {
  switch (a, b) {
  case (.success(let x), .success(let y)): return x == y
  case (.failure(let x), .failure(let y)): return x == y
  default: return false
  }
}

private func describe(_ r: Result<Device, UAPIReplyError>) -> String {
  switch r {
  case .success(let d): return "device(\(summary(d)))"
  case .failure(let e): return "error(\(e))"
  }
}

/// A short, key-free summary of a device for failure messages.
func summary(_ d: Device) -> String {
  let peers = d.peers.map { p in
    "peer(psk: \(p.presharedKey != nil), endpoint: \(p.endpoint.map { "\($0)" } ?? "-"), "
      + "keepalive: \(p.persistentKeepalive), hs: \(p.lastHandshake.seconds).\(p.lastHandshake.nanoseconds), "
      + "rx: \(p.rxBytes), tx: \(p.txBytes), ips: \(p.allowedIPs), v: \(p.protocolVersion))"
  }
  return "key: \(d.privateKey != nil), port: \(d.listenPort), fwmark: \(d.fwmark), peers: \(peers)"
}
