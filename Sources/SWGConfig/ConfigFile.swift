import Glibc
import SWGCore

/// A wg(8) configuration file (`setconf`/`addconf`/`syncconf`/`showconf` format), parsed.
///
/// Device fields are nil when the file does not set them; `asSetconfChange()` and
/// `asAddconfChange()` say what that means for each command.
public struct ConfigFile: Equatable, Sendable {
  public var privateKey: Key?
  public var listenPort: UInt16?
  public var fwmark: UInt32?
  /// One entry per `[Peer]` section, in file order. Each has `replaceAllowedIPs` as wg sets
  /// it: true unless its last `AllowedIPs` line used a `+`/`-` prefix.
  public var peers: [PeerChange]

  public init(
    privateKey: Key? = nil, listenPort: UInt16? = nil, fwmark: UInt32? = nil,
    peers: [PeerChange] = []
  ) {
    self.privateKey = privateKey
    self.listenPort = listenPort
    self.fwmark = fwmark
    self.peers = peers
  }

  /// Parses a config file as wg does: line by line; from `#` to the end of a line is a
  /// comment; every whitespace character is deleted; section names and keys are
  /// case-insensitive; `AllowedIPs` lines accumulate, other repeated keys overwrite.
  /// Endpoints are resolved while parsing, retrying transient failures `resolutionRetries`
  /// times (nil: as WG_ENDPOINT_RESOLUTION_RETRIES says). `fileName` only labels errors.
  public static func parse(
    _ text: [UInt8], fileName: String = "-", resolutionRetries: Int? = nil,
    warn: (ConfigWarning) -> Void = { _ in }
  ) throws(ConfigFileError) -> ConfigFile {
    let parser = ConfigFileStreamParser(fileName: fileName, resolutionRetries: resolutionRetries)
    try text.withUnsafeBufferPointer { (buffer) throws(ConfigFileError) in
      try parser.feed(buffer, warn: warn)
    }
    return try parser.finish(warn: warn)
  }

  public static func parse(
    _ text: String, fileName: String = "-", resolutionRetries: Int? = nil,
    warn: (ConfigWarning) -> Void = { _ in }
  ) throws(ConfigFileError) -> ConfigFile {
    try parse(
      Array(text.utf8), fileName: fileName, resolutionRetries: resolutionRetries, warn: warn)
  }
}

/// Parses a wg(8) configuration as its bytes arrive, in chunks of any size (a line may
/// span chunks), so a file never has to be held whole: `setconf` of 50,000 peers reads
/// 64 KiB at a time. Each line is stripped (up to its first NUL; from `#` on is a comment;
/// every whitespace character deleted) into one scratch buffer, reused from line to line
/// and wiped when the parser ends, since it holds key text. No allocation per line.
public final class ConfigFileStreamParser {
  private var parser: ConfigFileParser
  private var scratch: UnsafeMutablePointer<UInt8>
  private var capacity = 256
  /// The most bytes scratch has held: what must be wiped.
  private var used = 0
  /// Stripped bytes of the line read so far.
  private var length = 0
  /// The current line reached a NUL or '#': the rest of it is ignored.
  private var stopped = false
  private var lineNumber = 0
  private var failed = false

  public init(fileName: String = "-", resolutionRetries: Int? = nil) {
    parser = ConfigFileParser(fileName: fileName, resolutionRetries: resolutionRetries)
    scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
  }

  deinit {
    wipe(UnsafeMutableRawBufferPointer(start: scratch, count: used))
    scratch.deallocate()
  }

  /// Reads the next bytes of the file; each line is processed once its newline arrives.
  public func feed(
    _ chunk: UnsafeBufferPointer<UInt8>, warn: (ConfigWarning) -> Void
  ) throws(ConfigFileError) {
    guard !failed, let base = chunk.baseAddress else { return }
    let count = chunk.count
    var start = 0
    while start < count {
      // memchr finds line ends far faster than a generic firstIndex(of:).
      let newline = memchr(base + start, 0x0a, count - start).map {
        UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self) - base
      }
      let end = newline ?? count
      strip(UnsafeBufferPointer(start: base + start, count: end - start))
      guard newline != nil else { return }
      try endLine(warn: warn)
      start = end + 1
    }
  }

  /// Processes a last line without a newline and returns the file, or the first error
  /// (the missing `PublicKey` of a peer is found here).
  public func finish(warn: (ConfigWarning) -> Void) throws(ConfigFileError) -> ConfigFile {
    if length > 0 { try endLine(warn: warn) }
    return try parser.finish()
  }

  private func strip(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard !stopped else { return }
    if length + bytes.count > capacity { grow(to: length + bytes.count) }
    var n = length
    for c in bytes {
      if c == 0 || c == UInt8(ascii: "#") {
        stopped = true
        break
      }
      if !isSpace(c) {
        scratch[n] = c
        n += 1
      }
    }
    length = n
    used = max(used, n)
  }

  /// Room for `needed` bytes; the old buffer (key text) is wiped before it is freed.
  private func grow(to needed: Int) {
    let bigger = max(needed, capacity * 2)
    let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: bigger)
    fresh.update(from: scratch, count: length)
    wipe(UnsafeMutableRawBufferPointer(start: scratch, count: used))
    scratch.deallocate()
    scratch = fresh
    capacity = bigger
  }

  private func endLine(warn: (ConfigWarning) -> Void) throws(ConfigFileError) {
    lineNumber += 1
    let n = length
    length = 0
    stopped = false
    guard n > 0 else { return }
    do {
      try parser.process(UnsafeBufferPointer(start: scratch, count: n), number: lineNumber, warn: warn)
    } catch {
      failed = true
      throw ConfigFileError(fileName: parser.fileName, line: lineNumber, error: error)
    }
  }
}

/// wg's `config_read_line`/`process_line` state machine.
struct ConfigFileParser {
  enum Section { case none, interface, peer }

  let fileName: String
  let resolutionRetries: Int?
  var file = ConfigFile()
  var section = Section.none
  /// The line of each peer's `[Peer]`, for the missing-public-key error.
  var peerLines: [Int] = []
  var peerHasKey: [Bool] = []

  init(fileName: String, resolutionRetries: Int?) {
    self.fileName = fileName
    self.resolutionRetries = resolutionRetries
  }

  mutating func process(
    _ line: UnsafeBufferPointer<UInt8>, number: Int, warn: (ConfigWarning) -> Void
  ) throws(ConfigError) {
    if equalsIgnoringCase(line, "[Interface]") {
      section = .interface
      return
    }
    if equalsIgnoringCase(line, "[Peer]") {
      section = .peer
      // Growth copies the peers (their preshared keys): the old storage is zeroed first.
      appendWipingOldStorage(&file.peers, PeerChange(publicKey: .zero, replaceAllowedIPs: true))
      peerLines.append(number)
      peerHasKey.append(false)
      return
    }
    // `Key=value` with a non-empty value; key names hold no '=', so the first one ends it.
    var equals = 0
    while equals < line.count && line[equals] != UInt8(ascii: "=") { equals += 1 }
    guard section != .none, equals + 1 < line.count else { throw .lineUnrecognized(echo(line)) }
    let name = UnsafeBufferPointer(rebasing: line[..<equals])
    let v = UnsafeBufferPointer(rebasing: line[(equals + 1)...])
    switch section {
    case .interface:
      if equalsIgnoringCase(name, "ListenPort") {
        file.listenPort = try ConfigValue.port(Array(v))
      } else if equalsIgnoringCase(name, "FwMark") {
        file.fwmark = try ConfigValue.fwmark(Array(v))
      } else if equalsIgnoringCase(name, "PrivateKey") {
        file.privateKey = try ConfigValue.key(v)
      } else {
        throw .lineUnrecognized(echo(line))
      }
    case .peer:
      let p = file.peers.count - 1
      guard p >= 0 else { throw .lineUnrecognized(echo(line)) }
      if equalsIgnoringCase(name, "Endpoint") {
        file.peers[p].endpoint = try ConfigValue.endpoint(
          Array(v), retries: resolutionRetries, warn: warn)
      } else if equalsIgnoringCase(name, "PublicKey") {
        file.peers[p].publicKey = try ConfigValue.key(v)
        peerHasKey[p] = true
      } else if equalsIgnoringCase(name, "AllowedIPs") {
        file.peers[p].replaceAllowedIPs = try ConfigValue.appendAllowedIPs(
          v, to: &file.peers[p].allowedIPs, warn: warn)
      } else if equalsIgnoringCase(name, "PersistentKeepalive") {
        file.peers[p].persistentKeepalive = try ConfigValue.persistentKeepalive(Array(v))
      } else if equalsIgnoringCase(name, "PresharedKey") {
        file.peers[p].presharedKey = try ConfigValue.key(v)
      } else {
        throw .lineUnrecognized(echo(line))
      }
    case .none:
      throw .lineUnrecognized(echo(line))
    }
  }

  func finish() throws(ConfigFileError) -> ConfigFile {
    if let missing = peerHasKey.firstIndex(of: false) {
      throw ConfigFileError(
        fileName: fileName, line: peerLines[missing], error: .peerMissingPublicKey)
    }
    return file
  }
}
