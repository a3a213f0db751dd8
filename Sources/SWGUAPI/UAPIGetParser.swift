import Glibc
import SWGCore

/// Reads a daemon's reply to `get=1` (bytes in, `Device` out), a chunk at a time.
///
/// It follows wg's reader (`userspace_get_device`): keys before the first `public_key`
/// are the device's, `public_key` starts a peer, unknown keys are ignored, a bad value for
/// a known key or a line without `=` is a protocol error, and the reply ends at a blank line.
/// `errno=N` must be non-negative digits: `errno=22` reports EINVAL, while `errno=-22`
/// (wireguard-go's sign) is a protocol error, which is what wg does. It never holds more
/// than one line of unparsed text, and refuses replies beyond `Limits`.
public struct UAPIGetParser {
  /// Bounds on what a reply may hold; beyond any of them the reply is a protocol error.
  public struct Limits: Sendable, Equatable {
    /// The longest line, without its newline. Real lines are under 100 bytes.
    public var maxLineLength: Int
    /// The most peers (the kernel's own limit is 2^20 per device).
    public var maxPeers: Int
    /// The most allowed IPs, over all peers.
    public var maxAllowedIPs: Int
    /// The most bytes in the whole reply.
    public var maxTotalBytes: Int

    public init(
      maxLineLength: Int = 4096, maxPeers: Int = 1 << 20, maxAllowedIPs: Int = 1 << 24,
      maxTotalBytes: Int = 1 << 30
    ) {
      self.maxLineLength = maxLineLength
      self.maxPeers = maxPeers
      self.maxAllowedIPs = maxAllowedIPs
      self.maxTotalBytes = maxTotalBytes
    }

    public static let standard = Limits()
  }

  private let limits: Limits
  private var lines: UAPILineSplitter
  private var device: Device
  /// The peer being read, edited in place; meaningful only while `inPeer`.
  private var peer = Peer(publicKey: .zero)
  private var inPeer = false
  private var allowedIPCount = 0
  /// The last `errno=` value; a reply without one is a protocol error.
  private var status: Int32?
  private var outcome: Result<Device, UAPIReplyError>?

  /// `interfaceName` becomes the device's name, as wg copies it.
  public init(interfaceName: String, limits: Limits = .standard) {
    self.limits = limits
    lines = UAPILineSplitter(
      maxLineLength: limits.maxLineLength, maxTotalBytes: limits.maxTotalBytes)
    device = Device(name: interfaceName)
  }

  /// True once the reply is complete (or refused); later bytes are not wanted.
  public var isComplete: Bool { outcome != nil }

  /// Feeds the next bytes of the reply. Returns true once the reply is complete; bytes
  /// after its closing blank line are ignored. Throws when the reply is refused.
  @discardableResult
  public mutating func feed(_ bytes: UnsafeRawBufferPointer) throws(UAPIReplyError) -> Bool {
    if let outcome {
      if case .failure(let e) = outcome { throw e }
      return true
    }
    // The splitter is moved out while its callback edits the rest of self.
    var splitter = UAPILineSplitter.placeholder
    swap(&splitter, &lines)
    defer { swap(&splitter, &lines) }
    do {
      _ = try splitter.feed(bytes) { (line, n) throws(UAPIReplyError) -> Bool in
        try self.take(line, n)
      }
    } catch {
      outcome = .failure(error)
      throw error
    }
    return outcome != nil
  }

  /// Zeroes a partial line still held (the reply may carry keys).
  mutating func wipeBuffers() { lines.wipe() }

  /// Convenience for tests and small replies.
  @discardableResult
  public mutating func feed(_ bytes: [UInt8]) throws(UAPIReplyError) -> Bool {
    var result: Result<Bool, UAPIReplyError> = .success(false)
    bytes.withUnsafeBytes { raw in result = Result { () throws(UAPIReplyError) in try feed(raw) } }
    return try result.get()
  }

  /// The device, once the stream has ended. A reply that has not seen its closing blank
  /// line ended early: a protocol error, as in wg.
  public mutating func finish() throws(UAPIReplyError) -> Device {
    switch outcome {
    case .success(let d): return d
    case .failure(let e): throw e
    case nil:
      outcome = .failure(.endedEarly)
      throw .endedEarly
    }
  }

  /// Parses a whole reply at once.
  public static func parse(
    _ reply: [UInt8], interfaceName: String, limits: Limits = .standard
  ) throws(UAPIReplyError) -> Device {
    var parser = UAPIGetParser(interfaceName: interfaceName, limits: limits)
    try parser.feed(reply)
    return try parser.finish()
  }

  // MARK: - One line

  /// Returns false when the reply is complete.
  private mutating func take(_ line: UnsafeRawBufferPointer, _ n: Int) throws(UAPIReplyError)
    -> Bool
  {
    if line.isEmpty {
      try complete()
      return false
    }
    guard !UAPILine.containsNul(line) else { throw .nulByte(line: n) }
    guard let kv = UAPILine(line) else { throw .missingEquals(line: n) }
    let key = kv.key
    let value = kv.value

    if key.equals("public_key") {
      guard device.peers.count + (inPeer ? 1 : 0) < limits.maxPeers else { throw .tooManyPeers }
      if inPeer { appendWipingOldStorage(&device.peers, peer) }
      guard let k = UAPIValue.key(value) else { throw .badValue(key: "public_key", line: n) }
      peer = Peer(publicKey: k)
      inPeer = true
      return true
    }
    if key.equals("errno") {
      guard let e = UAPIValue.unsigned(value, max: UInt64(Int32.max)) else {
        throw .badValue(key: "errno", line: n)
      }
      status = Int32(e)
      return true
    }
    if inPeer {
      try takePeerLine(key, value, line: n)
    } else {
      try takeDeviceLine(key, value, line: n)
    }
    return true
  }

  private mutating func takeDeviceLine(
    _ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer, line n: Int
  ) throws(UAPIReplyError) {
    if key.equals("private_key") {
      guard let k = UAPIValue.key(value) else { throw .badValue(key: "private_key", line: n) }
      device.privateKey = k
    } else if key.equals("listen_port") {
      guard let p = UAPIValue.unsigned(value, max: UInt64(UInt16.max)) else {
        throw .badValue(key: "listen_port", line: n)
      }
      device.listenPort = UInt16(p)
    } else if key.equals("fwmark") {
      guard let m = UAPIValue.unsigned(value, max: UInt64(UInt32.max)) else {
        throw .badValue(key: "fwmark", line: n)
      }
      device.fwmark = UInt32(m)
    }
    // Anything else before the first peer (boringtun's own_public_key, say) is ignored.
  }

  private mutating func takePeerLine(
    _ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer, line n: Int
  ) throws(UAPIReplyError) {
    if key.equals("allowed_ip") {
      guard allowedIPCount < limits.maxAllowedIPs else { throw .tooManyAllowedIPs }
      guard let a = UAPIValue.allowedIP(value) else { throw .badValue(key: "allowed_ip", line: n) }
      allowedIPCount += 1
      // Most peers have a few: growing 1 -> 2 -> 4 cost two reallocations each.
      if peer.allowedIPs.isEmpty { peer.allowedIPs.reserveCapacity(4) }
      peer.allowedIPs.append(a)
    } else if key.equals("endpoint") {
      switch UAPIValue.endpoint(value) {
      case .endpoint(let e): peer.endpoint = e
      case .malformed: throw .badValue(key: "endpoint", line: n)
      case .unresolvable: throw .unresolvableEndpoint(line: n)
      }
    } else if key.equals("preshared_key") {
      guard let k = UAPIValue.key(value) else { throw .badValue(key: "preshared_key", line: n) }
      peer.presharedKey = k.isZero ? nil : k
    } else if key.equals("persistent_keepalive_interval") {
      guard let s = UAPIValue.unsigned(value, max: UInt64(UInt16.max)) else {
        throw .badValue(key: "persistent_keepalive_interval", line: n)
      }
      peer.persistentKeepalive = UInt16(s)
    } else if key.equals("last_handshake_time_sec") {
      guard let s = UAPIValue.unsigned(value, max: UInt64(Int64.max)) else {
        throw .badValue(key: "last_handshake_time_sec", line: n)
      }
      peer.lastHandshake.seconds = Int64(s)
    } else if key.equals("last_handshake_time_nsec") {
      guard let s = UAPIValue.unsigned(value, max: UInt64(Int64.max)) else {
        throw .badValue(key: "last_handshake_time_nsec", line: n)
      }
      peer.lastHandshake.nanoseconds = Int64(s)
    } else if key.equals("rx_bytes") {
      guard let b = UAPIValue.unsigned(value, max: UInt64.max) else {
        throw .badValue(key: "rx_bytes", line: n)
      }
      peer.rxBytes = b
    } else if key.equals("tx_bytes") {
      guard let b = UAPIValue.unsigned(value, max: UInt64.max) else {
        throw .badValue(key: "tx_bytes", line: n)
      }
      peer.txBytes = b
    } else if key.equals("protocol_version") {
      // wg ignores this key; keep it when it is a number, and ignore it otherwise.
      if let v = UAPIValue.unsigned(value, max: UInt64(UInt32.max)) {
        peer.protocolVersion = UInt32(v)
      }
    }
    // Device keys after the first peer, and unknown keys, are ignored as wg does.
  }

  private mutating func complete() throws(UAPIReplyError) {
    if inPeer {
      appendWipingOldStorage(&device.peers, peer)
      inPeer = false
    }
    guard status == 0 else {
      let e: UAPIReplyError = status.map { .daemon(Errno($0)) } ?? .missingErrno
      outcome = .failure(e)
      throw e
    }
    // wg derives the public key itself; the protocol does not carry it.
    if let k = device.privateKey { device.publicKey = k.publicKey }
    outcome = .success(device)
  }
}
