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
    var parser = ConfigFileParser(fileName: fileName, resolutionRetries: resolutionRetries)
    try text.withUnsafeBufferPointer { (buffer) throws(ConfigFileError) in
      try parser.read(buffer, warn: warn)
    }
    return try parser.finish()
  }

  public static func parse(
    _ text: String, fileName: String = "-", resolutionRetries: Int? = nil,
    warn: (ConfigWarning) -> Void = { _ in }
  ) throws(ConfigFileError) -> ConfigFile {
    try parse(
      Array(text.utf8), fileName: fileName, resolutionRetries: resolutionRetries, warn: warn)
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

  /// Reads every line of `text`. Each line is stripped into one scratch buffer, reused
  /// from line to line and wiped when done (it holds key text): no allocation per line.
  mutating func read(
    _ text: UnsafeBufferPointer<UInt8>, warn: (ConfigWarning) -> Void
  ) throws(ConfigFileError) {
    guard let base = text.baseAddress else { return }
    let count = text.count
    var capacity = 256
    var scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    var used = 0
    defer {
      wipe(UnsafeMutableRawBufferPointer(start: scratch, count: used))
      scratch.deallocate()
    }
    var lineNumber = 0
    var start = 0
    while start < count {
      // memchr finds line ends far faster than a generic firstIndex(of:).
      let end = memchr(base + start, 0x0a, count - start).map {
        UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self) - base
      } ?? count
      lineNumber += 1
      if end - start > capacity {
        wipe(UnsafeMutableRawBufferPointer(start: scratch, count: used))
        scratch.deallocate()
        used = 0
        capacity = end - start
        scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
      }
      // C sees the line up to its first NUL; the comment runs from the first '#'; every
      // whitespace character is deleted.
      var n = 0
      var i = start
      while i < end {
        let c = base[i]
        if c == 0 || c == UInt8(ascii: "#") { break }
        if !isSpace(c) {
          scratch[n] = c
          n += 1
        }
        i += 1
      }
      used = max(used, n)
      if n > 0 {
        do {
          try process(UnsafeBufferPointer(start: scratch, count: n), number: lineNumber, warn: warn)
        } catch {
          throw ConfigFileError(fileName: fileName, line: lineNumber, error: error)
        }
      }
      start = end + 1
    }
  }

  private mutating func process(
    _ line: UnsafeBufferPointer<UInt8>, number: Int, warn: (ConfigWarning) -> Void
  ) throws(ConfigError) {
    if equalsIgnoringCase(line, "[Interface]") {
      section = .interface
      return
    }
    if equalsIgnoringCase(line, "[Peer]") {
      section = .peer
      file.peers.append(PeerChange(publicKey: .zero, replaceAllowedIPs: true))
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
