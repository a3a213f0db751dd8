import Glibc
import SWGCore

/// How `show` prints for people: labels, units, optional colour.
public struct PrettyStyle: Sendable {
  public var palette: Palette
  /// Print private and preshared keys instead of `(hidden)` (WG_HIDE_KEYS=never).
  public var showsKeys: Bool
  /// Current Unix time in seconds; handshake ages are relative to it.
  public var now: Int64

  public init(palette: Palette = .plain, showsKeys: Bool = false, now: Int64) {
    self.palette = palette
    self.showsKeys = showsKeys
    self.now = now
  }
}

extension Device {
  /// Peers in wg's pretty order: latest handshake first, never-handshaked last; ties keep
  /// backend order (glibc's qsort is a merge sort here).
  public var peersInPrettyOrder: [Peer] { prettyOrder.map { peers[$0] } }

  /// Indices of `peers` in pretty order (sorting indices, not copies of the peers).
  var prettyOrder: [Int] {
    var order = Array(peers.indices)
    order.sort { i, j in
      let a = peers[i].lastHandshake, b = peers[j].lastHandshake
      if a.isZero != b.isZero { return b.isZero }
      if a != b { return b < a }
      return i < j
    }
    return order
  }

  /// `wg show IFACE` text.
  public func prettyText(style: PrettyStyle) -> String {
    var out = Output()
    appendPretty(to: &out, style: style)
    return out.text
  }

  /// Appends `wg show IFACE` text.
  public func appendPretty(to out: inout Output, style: PrettyStyle) {
    let p = style.palette
    out.append(p.reset)
    out.append(p.green); out.append(p.bold); out.append("interface"); out.append(p.reset)
    out.append(": "); out.append(p.green); out.append(name); out.append(p.reset); out.append("\n")
    if let key = publicKey {
      label("public key", p, &out)
      out.append(key: key)
      out.append("\n")
    }
    if let key = privateKey {
      label("private key", p, &out)
      if style.showsKeys { out.append(key: key) } else { out.append("(hidden)") }
      out.append("\n")
    }
    if listenPort != 0 {
      label("listening port", p, &out)
      out.append(decimal: UInt64(listenPort))
      out.append("\n")
    }
    if fwmark != 0 {
      label("fwmark", p, &out)
      out.append("0x")
      out.append(hex: fwmark)
      out.append("\n")
    }
    guard !peers.isEmpty else { return }
    out.append("\n")
    let order = prettyOrder
    for (n, index) in order.enumerated() {
      peers[index].appendPretty(to: &out, style: style)
      if n + 1 < order.count { out.append("\n") }
      out.flushIfFull()
    }
  }
}

@inline(__always)
private func label(_ text: StaticString, _ p: Palette, _ out: inout Output) {
  out.append("  ")
  out.append(p.bold)
  out.append(text)
  out.append(p.reset)
  out.append(": ")
}

extension Peer {
  func appendPretty(to out: inout Output, style: PrettyStyle) {
    let p = style.palette
    out.append(p.yellow); out.append(p.bold); out.append("peer"); out.append(p.reset)
    out.append(": "); out.append(p.yellow); out.append(key: publicKey); out.append(p.reset)
    out.append("\n")
    if let psk = presharedKey {
      label("preshared key", p, &out)
      if style.showsKeys { out.append(key: psk) } else { out.append("(hidden)") }
      out.append("\n")
    }
    if let endpoint {
      label("endpoint", p, &out)
      out.append(endpoint: endpoint)
      out.append("\n")
    }
    label("allowed ips", p, &out)
    if allowedIPs.isEmpty {
      out.append("(none)")
    } else {
      for (n, ip) in allowedIPs.enumerated() {
        if n > 0 { out.append(", ") }
        out.append(address: ip.address)
        out.append(p.cyan); out.append("/"); out.append(p.reset)
        out.append(decimal: UInt64(ip.cidr))
      }
    }
    out.append("\n")
    if lastHandshake.seconds != 0 {
      label("latest handshake", p, &out)
      appendAgo(lastHandshake.seconds, now: style.now, palette: p, to: &out)
      out.append("\n")
    }
    if rxBytes != 0 || txBytes != 0 {
      label("transfer", p, &out)
      appendBytes(rxBytes, palette: p, to: &out)
      out.append(" received, ")
      appendBytes(txBytes, palette: p, to: &out)
      out.append(" sent\n")
    }
    if persistentKeepalive != 0 {
      label("persistent keepalive", p, &out)
      out.append("every ")
      appendDuration(UInt64(persistentKeepalive), palette: p, to: &out)
      out.append("\n")
    }
  }
}

/// `N unit[s]` for years (365 days), days, hours, minutes and seconds, zero units left out,
/// joined by `, ` (wg's `pretty_time`). Zero seconds prints nothing.
func appendDuration(_ seconds: UInt64, palette p: Palette, to out: inout Output) {
  var left = seconds
  let years = left / (365 * 86400)
  left %= 365 * 86400
  let days = left / 86400
  left %= 86400
  let hours = left / 3600
  left %= 3600
  let minutes = left / 60
  let secs = left % 60
  var first = true
  func unit(_ n: UInt64, _ singular: StaticString, _ plural: StaticString) {
    guard n != 0 else { return }
    if !first { out.append(", ") }
    first = false
    out.append(decimal: n)
    out.append(" ")
    out.append(p.cyan)
    out.append(n == 1 ? singular : plural)
    out.append(p.reset)
  }
  unit(years, "year", "years")
  unit(days, "day", "days")
  unit(hours, "hour", "hours")
  unit(minutes, "minute", "minutes")
  unit(secs, "second", "seconds")
}

/// `… ago`, `Now`, or the clock-went-backwards warning (wg's `ago`).
func appendAgo(_ when: Int64, now: Int64, palette p: Palette, to out: inout Output) {
  if now == when {
    out.append("Now")
  } else if now < when {
    out.append("(")
    out.append(p.red)
    out.append("System clock wound backward; connection problems may ensue.")
    out.append(p.reset)
    out.append(")")
  } else {
    appendDuration(UInt64(now.subtractingReportingOverflow(when).partialValue.magnitude), palette: p, to: &out)
    out.append(" ago")
  }
}

/// `%u B`, or `%.2f KiB|MiB|GiB|TiB` (1024-based), as wg's `bytes`.
func appendBytes(_ b: UInt64, palette p: Palette, to out: inout Output) {
  let units: [(UInt64, StaticString)] = [(1 << 10, "KiB"), (1 << 20, "MiB"), (1 << 30, "GiB"), (1 << 40, "TiB")]
  if b < 1024 {
    out.append(decimal: b)
    out.append(" ")
    out.append(p.cyan); out.append("B"); out.append(p.reset)
    return
  }
  var index = 0
  while index < 3 && b >= units[index + 1].0 { index += 1 }
  let value = Double(b) / Double(units[index].0)
  appendFixed2(value, to: &out)
  out.append(" ")
  out.append(p.cyan); out.append(units[index].1); out.append(p.reset)
}

/// printf's `%.2f`, rounded exactly as glibc rounds it.
func appendFixed2(_ value: Double, to out: inout Output) {
  withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buf in
    guard let base = buf.baseAddress else { return }
    let n = withVaList([value]) { vsnprintf(base, 64, "%.2f", $0) }
    guard n > 0 else { return }
    UnsafeRawBufferPointer(start: base, count: min(Int(n), 63)).withMemoryRebound(to: UInt8.self) {
      out.append(contentsOf: $0)
    }
  }
}
