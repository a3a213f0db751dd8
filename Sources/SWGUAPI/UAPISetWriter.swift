import Glibc
import SWGCore

/// Writes a `DeviceChange` as a UAPI `set=1` request, in wg's order, a chunk at a time.
///
/// Order (wg's `userspace_set_device`, plus `update_only`, which wg never sends):
/// `private_key`, `listen_port`, `fwmark`, `replace_peers`; then per peer `public_key`,
/// `remove=true` (and nothing else for that peer), `update_only`, `preshared_key`,
/// `endpoint`, `persistent_keepalive_interval`, `replace_allowed_ips`, `allowed_ip`
/// (`-` before a removal); then the blank line. The request is handed out in chunks of
/// about `chunkSize` bytes, so 100k peers never become one giant buffer.
public struct UAPISetWriter {
  public static let defaultChunkSize = 64 * 1024

  private var buffer: [UInt8] = []
  private let chunkSize: Int

  private init(chunkSize: Int) {
    self.chunkSize = max(chunkSize, 256)
    // Room for a whole peer's lines past the chunk size, so the buffer never grows: growth
    // would free storage holding key hex without zeroing it.
    buffer.reserveCapacity(self.chunkSize + 1024)
  }

  /// Calls `emit` with each chunk of the request for `change`, in order.
  public static func write(
    _ change: DeviceChange, chunkSize: Int = defaultChunkSize,
    to emit: (UnsafeRawBufferPointer) throws -> Void
  ) rethrows {
    var w = UAPISetWriter(chunkSize: chunkSize)
    try w.write(change, emit)
  }

  /// The whole request as one array (for tests and small changes).
  public static func request(for change: DeviceChange) -> [UInt8] {
    var out: [UInt8] = []
    write(change) { out.append(contentsOf: $0) }
    return out
  }

  private mutating func write(
    _ change: DeviceChange, _ emit: (UnsafeRawBufferPointer) throws -> Void
  ) rethrows {
    append("set=1\n")
    if let k = change.privateKey { appendKey("private_key=", k) }
    if let p = change.listenPort { appendNumber("listen_port=", UInt64(p)) }
    if let m = change.fwmark { appendNumber("fwmark=", UInt64(m)) }
    if change.replacePeers { append("replace_peers=true\n") }
    for peer in change.peers {
      appendKey("public_key=", peer.publicKey)
      if peer.remove {
        append("remove=true\n")
        try flushIfFull(emit)
        continue
      }
      if peer.updateOnly { append("update_only=true\n") }
      if let k = peer.presharedKey { appendKey("preshared_key=", k) }
      if let e = peer.endpoint { appendEndpoint(e) }
      if let s = peer.persistentKeepalive {
        appendNumber("persistent_keepalive_interval=", UInt64(s))
      }
      if peer.replaceAllowedIPs { append("replace_allowed_ips=true\n") }
      for a in peer.allowedIPs {
        append("allowed_ip=")
        if a.remove { buffer.append(UInt8(ascii: "-")) }
        appendAddress(a.allowedIP.address)
        buffer.append(UInt8(ascii: "/"))
        appendDecimal(UInt64(a.allowedIP.cidr))
        buffer.append(0x0a)
        try flushIfFull(emit)
      }
      try flushIfFull(emit)
    }
    buffer.append(0x0a)
    try emitAndWipe(emit)
  }

  private mutating func flushIfFull(_ emit: (UnsafeRawBufferPointer) throws -> Void) rethrows {
    guard buffer.count >= chunkSize else { return }
    try emitAndWipe(emit)
  }

  /// Hands out the buffer, then zeroes it (private_key= and preshared_key= lines) for reuse,
  /// also when `emit` throws.
  private mutating func emitAndWipe(_ emit: (UnsafeRawBufferPointer) throws -> Void) rethrows {
    defer {
      wipe(&buffer)
      buffer.removeAll(keepingCapacity: true)
    }
    try buffer.withUnsafeBytes { try emit($0) }
  }

  // MARK: - Text pieces

  private mutating func append(_ s: StaticString) {
    buffer.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
  }

  private mutating func appendNumber(_ name: StaticString, _ n: UInt64) {
    append(name)
    appendDecimal(n)
    buffer.append(0x0a)
  }

  private mutating func appendDecimal(_ n: UInt64) {
    if n < 10 {
      buffer.append(UInt8(truncatingIfNeeded: n) &+ 48)
      return
    }
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
      var v = n
      var i = 20
      repeat {
        i -= 1
        digits[i] = UInt8(truncatingIfNeeded: v % 10) &+ 48
        v /= 10
      } while v > 0 && i > 0
      buffer.append(contentsOf: UnsafeMutableBufferPointer(rebasing: digits[i..<20]))
    }
  }

  /// 64 lowercase hex digits, without branching on the key's bytes (wg's key_to_hex),
  /// written in stack scratch that is wiped after the copy.
  private mutating func appendKey(_ name: StaticString, _ key: Key) {
    append(name)
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 65) { hex in
      key.withUnsafeBytes { k in
        for (i, b) in k.enumerated() {
          let hi = Int32(b >> 4)
          let lo = Int32(b & 15)
          hex[2 * i] = UInt8(truncatingIfNeeded: 87 &+ hi &+ (((hi &- 10) >> 8) & ~38))
          hex[2 * i + 1] = UInt8(truncatingIfNeeded: 87 &+ lo &+ (((lo &- 10) >> 8) & ~38))
        }
      }
      hex[64] = 0x0a
      buffer.append(contentsOf: hex)
      wipe(UnsafeMutableRawBufferPointer(hex))
    }
  }

  /// `endpoint=IP:port` or `endpoint=[IPv6]:port`, numeric, as wg's getnameinfo prints it.
  private mutating func appendEndpoint(_ e: Endpoint) {
    switch e {
    case .v4(let a, let port):
      append("endpoint=")
      appendIPv4(a)
      buffer.append(UInt8(ascii: ":"))
      appendDecimal(UInt64(port))
    case .v6(let a, let port, _, let scope):
      append("endpoint=")
      if scope == 0 {
        buffer.append(UInt8(ascii: "["))
        appendAddress(.v6(a))
        append("]:")
        appendDecimal(UInt64(port))
      } else {
        // A scope prints as %ifname; getnameinfo knows how.
        buffer.append(contentsOf: e.description.utf8)
      }
    }
    buffer.append(0x0a)
  }

  /// The address as inet_ntop writes it (SWGCore's formatter: no sprintf, no allocation).
  private mutating func appendAddress(_ a: IPAddress) {
    a.withText { buffer.append(contentsOf: $0) }
  }

  private mutating func appendIPv4(_ a: IPv4Address) {
    appendAddress(.v4(a))
  }
}
