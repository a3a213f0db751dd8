import SWGCore

/// A wg-quick(8) configuration file: the wg(8) format plus wg-quick's own `[Interface]` keys,
/// read line by line exactly as wg-quick's bash `parse_options` reads it.
///
/// wg-quick's keys are taken out only inside `[Interface]`; every other line goes through
/// verbatim (after bash `read` trimmed its leading and trailing spaces and tabs and dropped
/// NUL bytes) into `wgConfig`, which is what wg-quick hands to `wg addconf`.
public struct WgQuickConfig: Equatable, Sendable {
  /// `Address` entries (split at commas and blanks), in order, unvalidated.
  public var addresses: [String] = []
  /// `DNS` entries that are IP addresses (digits and dots only, or containing `:`).
  public var dnsServers: [String] = []
  /// The other `DNS` entries: search domains.
  public var dnsSearchDomains: [String] = []
  /// `MTU`, as written (wg-quick does not check it); nil when absent. Last one wins.
  public var mtu: String?
  /// `Table`, as written: `off`, `auto` or a table id/name; nil when absent. Last one wins.
  public var table: String?
  /// Hook commands in file order, as written after the `=` (comments kept, `%i` not replaced).
  public var preUp: [String] = []
  public var postUp: [String] = []
  public var preDown: [String] = []
  public var postDown: [String] = []
  /// `SaveConfig = true`.
  public var saveConfig = false
  /// The lines left for wg, each ending in `\n` (wg-quick's `WG_CONFIG`).
  public var wgConfig: [UInt8] = []

  public init() {}

  /// Exactly what `wg-quick strip` prints: the wg lines plus one more newline (bash `echo`).
  public var strippedText: [UInt8] { wgConfig + [UInt8(ascii: "\n")] }

  /// Parses the wg part with the wg(8) parser (as `wg addconf` would read it).
  public func wireGuardConfig(
    fileName: String = "-", resolutionRetries: Int? = nil, warn: (ConfigWarning) -> Void = { _ in }
  ) throws(ConfigFileError) -> ConfigFile {
    try ConfigFile.parse(
      wgConfig, fileName: fileName, resolutionRetries: resolutionRetries, warn: warn)
  }

  /// Reads a wg-quick config. The only error is a `SaveConfig` that is neither true nor
  /// false (any case), on which wg-quick dies.
  public static func parse(_ text: [UInt8], fileName: String = "-") throws(ConfigFileError)
    -> WgQuickConfig
  {
    var config = WgQuickConfig()
    config.wgConfig.reserveCapacity(text.count + 1)
    var inInterface = false
    var lineNumber = 0
    var start = text.startIndex
    while start < text.endIndex {
      let newline = text[start...].firstIndex(of: UInt8(ascii: "\n"))
      let end = newline ?? text.endIndex
      lineNumber += 1
      let line = bashReadLine(text[start..<end])
      // The line may be `PrivateKey = ...`: zeroed once used (in place: slices of it may
      // still be alive when the iteration ends).
      defer { wipeSharedStorage(of: line) }
      start = end < text.endIndex ? end + 1 : end
      // `while read -r line || [[ -n $line ]]`: an unterminated last line counts if non-empty.
      if newline == nil && line.isEmpty { break }

      let stripped = line.prefix { $0 != UInt8(ascii: "#") }
      let equals = stripped.firstIndex(of: UInt8(ascii: "="))
      let key = trimmedBashSpace(equals.map { stripped[..<$0] } ?? stripped[...])
      let value = trimmedBashSpace(equals.map { stripped[($0 + 1)...] } ?? stripped[...])
      if key.first == UInt8(ascii: "[") { inInterface = false }
      if equalsIgnoringCase(key, "[Interface]") { inInterface = true }
      if inInterface {
        if equalsIgnoringCase(key, "Address") {
          config.addresses += bashWords(value).map { lossy($0) }
          continue
        } else if equalsIgnoringCase(key, "MTU") {
          config.mtu = lossy(value)
          continue
        } else if equalsIgnoringCase(key, "DNS") {
          for word in bashWords(value) {
            let numeric = word.allSatisfy { isDigit($0) || $0 == UInt8(ascii: ".") }
            if numeric || word.contains(UInt8(ascii: ":")) {
              config.dnsServers.append(lossy(word))
            } else {
              config.dnsSearchDomains.append(lossy(word))
            }
          }
          continue
        } else if equalsIgnoringCase(key, "Table") {
          config.table = lossy(value)
          continue
        } else if let hook = hookKind(key) {
          // Hooks keep their comments (wireguard-tools v1.0.20260223): the value is cut
          // from the whole line, not from the comment-stripped one.
          let eq = line.firstIndex(of: UInt8(ascii: "="))
          let command = lossy(trimmedBashSpace(eq.map { line[($0 + 1)...] } ?? line[...]))
          switch hook {
          case .preUp: config.preUp.append(command)
          case .postUp: config.postUp.append(command)
          case .preDown: config.preDown.append(command)
          case .postDown: config.postDown.append(command)
          }
          continue
        } else if equalsIgnoringCase(key, "SaveConfig") {
          if equalsIgnoringCase(value, "true") {
            config.saveConfig = true
          } else if equalsIgnoringCase(value, "false") {
            config.saveConfig = false
          } else {
            throw ConfigFileError(
              fileName: fileName, line: lineNumber, error: .invalidBoolean(value: echo(value)))
          }
          continue
        }
      }
      config.wgConfig += line
      config.wgConfig.append(UInt8(ascii: "\n"))
    }
    return config
  }

  public static func parse(_ text: String, fileName: String = "-") throws(ConfigFileError)
    -> WgQuickConfig
  {
    try parse(Array(text.utf8), fileName: fileName)
  }
}

private enum Hook { case preUp, postUp, preDown, postDown }

private func hookKind(_ key: [UInt8]) -> Hook? {
  if equalsIgnoringCase(key, "PreUp") { return .preUp }
  if equalsIgnoringCase(key, "PostUp") { return .postUp }
  if equalsIgnoringCase(key, "PreDown") { return .preDown }
  if equalsIgnoringCase(key, "PostDown") { return .postDown }
  return nil
}

/// What bash `read -r line` (default IFS) keeps of a line: NUL bytes dropped, then leading
/// and trailing spaces and tabs removed.
private func bashReadLine(_ raw: ArraySlice<UInt8>) -> [UInt8] {
  let kept = raw.filter { $0 != 0 }
  let isBlank = { (c: UInt8) in c == 0x20 || c == 0x09 }
  guard let first = kept.firstIndex(where: { !isBlank($0) }),
    let last = kept.lastIndex(where: { !isBlank($0) })
  else { return [] }
  return Array(kept[first...last])
}

/// `${x##*([[:space:]])}` then `${x%%*([[:space:]])}` in the C locale.
private func trimmedBashSpace(_ text: ArraySlice<UInt8>) -> [UInt8] {
  guard let first = text.firstIndex(where: { !isSpace($0) }),
    let last = text.lastIndex(where: { !isSpace($0) })
  else { return [] }
  return Array(text[first...last])
}

/// `${value//,/ }` unquoted: commas become spaces, then words split at spaces, tabs and
/// newlines (the default IFS). Pathname expansion, which bash would also apply, is not.
private func bashWords(_ value: [UInt8]) -> [ArraySlice<UInt8>] {
  value.split(whereSeparator: { $0 == UInt8(ascii: ",") || $0 == 0x20 || $0 == 0x09 || $0 == 0x0a })
}
