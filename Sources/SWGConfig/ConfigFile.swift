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
    var lineNumber = 0
    var start = 0
    let count = text.count
    while start < count {
      // memchr finds line ends far faster than a generic firstIndex(of:) over a slice.
      let end =
        text.withUnsafeBufferPointer { buf -> Int? in
          guard let base = buf.baseAddress,
            let hit = memchr(base + start, 0x0a, count - start)
          else { return nil }
          return UnsafeRawPointer(hit).assumingMemoryBound(to: UInt8.self) - base
        } ?? count
      lineNumber += 1
      try parser.read(line: text[start..<end], number: lineNumber, warn: warn)
      start = end < count ? end + 1 : end
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

  mutating func read(
    line raw: ArraySlice<UInt8>, number: Int, warn: (ConfigWarning) -> Void
  ) throws(ConfigFileError) {
    // C sees the line up to its first NUL; the comment runs from the first '#'.
    // Written through raw buffers: appending byte by byte was a fifth of setconf's time.
    let line = [UInt8](unsafeUninitializedCapacity: raw.count) { out, count in
      raw.withUnsafeBufferPointer { input in
        var n = 0
        for c in input {
          if c == 0 || c == UInt8(ascii: "#") { break }
          if !isSpace(c) {
            out[n] = c
            n += 1
          }
        }
        count = n
      }
    }
    if line.isEmpty { return }
    do {
      try process(line, number: number, warn: warn)
    } catch {
      throw ConfigFileError(fileName: fileName, line: number, error: error)
    }
  }

  private mutating func process(
    _ line: [UInt8], number: Int, warn: (ConfigWarning) -> Void
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
    func value(_ key: String) -> [UInt8]? {
      let keyLength = key.utf8.count
      guard line.count > keyLength + 1, line[keyLength] == UInt8(ascii: "="),
        hasPrefixIgnoringCase(line, key)
      else { return nil }
      return Array(line[(keyLength + 1)...])
    }
    switch section {
    case .interface:
      if let v = value("ListenPort") {
        file.listenPort = try ConfigValue.port(v)
      } else if let v = value("FwMark") {
        file.fwmark = try ConfigValue.fwmark(v)
      } else if let v = value("PrivateKey") {
        file.privateKey = try ConfigValue.key(v)
      } else {
        throw .lineUnrecognized(echo(line))
      }
    case .peer:
      let p = file.peers.count - 1
      guard p >= 0 else { throw .lineUnrecognized(echo(line)) }
      if let v = value("Endpoint") {
        file.peers[p].endpoint = try ConfigValue.endpoint(v, retries: resolutionRetries, warn: warn)
      } else if let v = value("PublicKey") {
        file.peers[p].publicKey = try ConfigValue.key(v)
        peerHasKey[p] = true
      } else if let v = value("AllowedIPs") {
        let list = try ConfigValue.allowedIPs(v, warn: warn)
        file.peers[p].replaceAllowedIPs = list.replacesExisting
        file.peers[p].allowedIPs.append(contentsOf: list.entries)
      } else if let v = value("PersistentKeepalive") {
        file.peers[p].persistentKeepalive = try ConfigValue.persistentKeepalive(v)
      } else if let v = value("PresharedKey") {
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
