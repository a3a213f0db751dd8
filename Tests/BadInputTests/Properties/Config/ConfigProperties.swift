import Glibc
import SWGConfig
import SWGCore

// Fuzz properties of the text parsers in SWGConfig. Each returns what went wrong with one
// input (empty when every property held); running it at all checks that nothing traps.
// Endpoints are resolved while parsing, so callers run these where name lookups cannot
// leave the machine (scripts/fuzz.sh runs the fuzzers in a network namespace of their own,
// BadInputTests replays inside one).

// MARK: - wg(8) config files

/// parse → write → parse gives the same `ConfigFile`; and the device that `setconf` would
/// make of it, written by `showconf`, reads back to the same device.
public func checkConfigFile(_ data: UnsafeRawBufferPointer) -> [String] {
  var problems: [String] = []
  let first: ConfigFile
  do throws(ConfigFileError) {
    first = try ConfigFile.parse(Array(data))
  } catch {
    _ = error.wgReport
    return []
  }
  let text = configText(first)
  do throws(ConfigFileError) {
    let again = try ConfigFile.parse(text)
    if again != first { problems.append("config round trip changed it:\n\(text)") }
  } catch {
    problems.append("config round trip refused (\(error.location): \(error)):\n\(text)")
  }

  let device = deviceFromConfig(first)
  let shown = device.showconf
  do throws(ConfigFileError) {
    let back = deviceFromConfig(try ConfigFile.parse(shown))
    if back != device { problems.append("showconf round trip changed the device:\n\(shown)") }
  } catch {
    problems.append("showconf output refused (\(error.location): \(error)):\n\(shown)")
  }
  return problems
}

/// A config file for `file` in wg's own syntax (`AllowedIPs` lines chosen so that the
/// replace flag comes out the same).
public func configText(_ file: ConfigFile) -> String {
  var out = "[Interface]\n"
  if let k = file.privateKey { out += "PrivateKey = \(k.base64)\n" }
  if let p = file.listenPort { out += "ListenPort = \(p)\n" }
  if let m = file.fwmark { out += "FwMark = \(m)\n" }
  for p in file.peers {
    out += "[Peer]\nPublicKey = \(p.publicKey.base64)\n"
    if let k = p.presharedKey { out += "PresharedKey = \(k.base64)\n" }
    if let e = p.endpoint { out += "Endpoint = \(e)\n" }
    if let k = p.persistentKeepalive { out += "PersistentKeepalive = \(k)\n" }
    for line in allowedIPWords(p.allowedIPs, replace: p.replaceAllowedIPs, emptyAllowed: false) {
      out += "AllowedIPs = \(line)\n"
    }
  }
  return out
}

/// The lists that, read in order, give `entries` with `replace`: all but a last plain add
/// with explicit signs (which makes the replace flag false), then that add unsigned.
/// Without a final add a replace can only be said with an empty list (`wg set` only).
func allowedIPWords(_ entries: [AllowedIPChange], replace: Bool, emptyAllowed: Bool) -> [String] {
  func signed(_ e: AllowedIPChange) -> String { (e.remove ? "-" : "+") + e.allowedIP.description }
  guard !entries.isEmpty else { return replace && emptyAllowed ? [""] : [] }
  if !replace { return [entries.map(signed).joined(separator: ",")] }
  if let last = entries.last, !last.remove {
    let head = entries.dropLast()
    return (head.isEmpty ? [] : [head.map(signed).joined(separator: ",")]) + [last.allowedIP.description]
  }
  return [entries.map(signed).joined(separator: ","), ""]
}

/// The device `setconf` would leave from this file on an empty interface, peer for peer.
func deviceFromConfig(_ file: ConfigFile) -> Device {
  Device(
    name: "wg0", privateKey: file.privateKey, listenPort: file.listenPort ?? 0,
    fwmark: file.fwmark ?? 0,
    peers: file.peers.map { p in
      Peer(
        publicKey: p.publicKey, presharedKey: p.presharedKey.flatMap { $0.isZero ? nil : $0 },
        endpoint: p.endpoint, persistentKeepalive: p.persistentKeepalive ?? 0,
        allowedIPs: p.allowedIPs.filter { !$0.remove }.map(\.allowedIP))
    })
}

// MARK: - wg-quick(8) config files

/// What wg-quick hands to wg (`strip`'s text) reads back to itself with nothing taken out;
/// the wg part parses or is refused cleanly; and the wg-quick keys written out again and
/// appended read back to the same values.
public func checkWgQuickConfig(_ data: UnsafeRawBufferPointer) -> [String] {
  var problems: [String] = []
  let q: WgQuickConfig
  do throws(ConfigFileError) {
    q = try WgQuickConfig.parse(Array(data))
  } catch {
    return []
  }
  _ = q.strippedText
  _ = try? q.wireGuardConfig()

  do throws(ConfigFileError) {
    let again = try WgQuickConfig.parse(q.wgConfig)
    if again.wgConfig != q.wgConfig || !quickFieldsEmpty(again) {
      problems.append("stripped text does not read back to itself")
    }
  } catch {
    problems.append("stripped text refused: \(error)")
  }

  // Only values that a line can carry: wg-quick cuts a line at '#' (hooks excepted) and
  // trims blanks, and splits Address/DNS at commas and blanks.
  guard quickRepresentable(q) else { return problems }
  let text = quickText(q)
  do throws(ConfigFileError) {
    var again = try WgQuickConfig.parse(text)
    again.wgConfig = q.wgConfig
    var expected = q
    expected.wgConfig = q.wgConfig
    if again != expected {
      problems.append("wg-quick keys round trip changed them: \(quickFields(expected)) -> \(quickFields(again))")
    }
  } catch {
    problems.append("wg-quick keys round trip refused (\(error)):\n\(String(decoding: text, as: UTF8.self))")
  }
  return problems
}

/// `q`'s wg lines, then an `[Interface]` section holding its wg-quick keys.
func quickText(_ q: WgQuickConfig) -> [UInt8] {
  var out = q.wgConfig
  var s = "\n[Interface]\n"
  for a in q.addresses { s += "Address = \(a)\n" }
  for d in q.dnsServers + q.dnsSearchDomains { s += "DNS = \(d)\n" }
  if let m = q.mtu { s += "MTU = \(m)\n" }
  if let t = q.table { s += "Table = \(t)\n" }
  for h in q.preUp { s += "PreUp = \(h)\n" }
  for h in q.postUp { s += "PostUp = \(h)\n" }
  for h in q.preDown { s += "PreDown = \(h)\n" }
  for h in q.postDown { s += "PostDown = \(h)\n" }
  if q.saveConfig { s += "SaveConfig = true\n" }
  out += Array(s.utf8)
  return out
}

/// False when a value cannot be written on a line of its own and read back as it is:
/// wg-quick trims [[:space:]] around values (so a word that came from mid-line may end in
/// one), and a value holding U+FFFD stood for bytes that were not UTF-8.
func quickRepresentable(_ q: WgQuickConfig) -> Bool {
  func clean(_ v: String) -> Bool {
    guard let f = v.utf8.first, let l = v.utf8.last else { return true }
    let space: (UInt8) -> Bool = { $0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0d) }
    return !space(f) && !space(l) && !v.unicodeScalars.contains("\u{FFFD}")
  }
  let all = q.addresses + q.dnsServers + q.dnsSearchDomains + [q.mtu ?? "", q.table ?? ""]
    + q.preUp + q.postUp + q.preDown + q.postDown
  return all.allSatisfy(clean)
}

func quickFields(_ q: WgQuickConfig) -> String {
  "addresses \(q.addresses) dns \(q.dnsServers) search \(q.dnsSearchDomains) mtu \(q.mtu ?? "-") "
    + "table \(q.table ?? "-") hooks \([q.preUp, q.postUp, q.preDown, q.postDown]) save \(q.saveConfig)"
}

private func quickFieldsEmpty(_ q: WgQuickConfig) -> Bool {
  q.addresses.isEmpty && q.dnsServers.isEmpty && q.dnsSearchDomains.isEmpty && q.mtu == nil
    && q.table == nil && q.preUp.isEmpty && q.postUp.isEmpty && q.preDown.isEmpty
    && q.postDown.isEmpty && !q.saveConfig
}

// MARK: - `wg set` words

/// Key files the `set` property points `private-key`/`preshared-key` at, so that fuzzed
/// words never open arbitrary paths (a FIFO or /dev/stdin would block).
public final class KeyFileFixture: @unchecked Sendable {
  public let directory: String
  /// A valid key file, one too short, one with trailing garbage, an empty one, /dev/null.
  public let paths: [String]
  private var counter = 0

  public init() {
    var template = Array("/tmp/swg-fuzz-keys-XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { buf -> Bool in
      guard let base = buf.baseAddress else { return false }
      return mkdtemp(base) != nil
    }
    let name = template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    directory = made ? String(decoding: name, as: UTF8.self) : "/tmp"
    let key = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk="
    let files: [(String, String)] = [
      ("valid", key + "\n"), ("short", String(key.dropLast(2))), ("trailing", key + " x\n"),
      ("empty", ""),
    ]
    var paths: [String] = []
    for (name, content) in files {
      let path = directory + "/" + name
      KeyFileFixture.write(path, content)
      paths.append(path)
    }
    paths.append("/dev/null")
    self.paths = paths
  }

  /// Starts a new set of key files (the previous set may be overwritten).
  public func beginSet() { counter = 0 }

  /// Writes `key` to a file of its own in the current set and returns its path.
  public func file(for key: Key) -> String {
    counter += 1
    let path = directory + "/k\(counter)"
    KeyFileFixture.write(path, key.base64 + "\n")
    return path
  }

  static func write(_ path: String, _ content: String) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else { return }
    let bytes = Array(content.utf8)
    _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    close(fd)
  }
}

/// The words are the input split at NUL bytes (argv cannot hold a NUL). A word after
/// `private-key` or `preshared-key` is replaced by one of the fixture's files. Then:
/// parse → words → parse gives the same change.
public func checkSetWords(_ data: UnsafeRawBufferPointer, keys: KeyFileFixture) -> [String] {
  var words = data.split(separator: 0, omittingEmptySubsequences: false).map { Array($0) }
  if words.count == 1 && words[0].isEmpty { words = [] }
  for i in words.indices where i > 0 {
    let previous = String(decoding: words[i - 1], as: UTF8.self)
    if previous == "private-key" || previous == "preshared-key" {
      let pick = Int(words[i].first ?? 0) % keys.paths.count
      words[i] = Array(keys.paths[pick].utf8)
    }
  }
  let change: DeviceChange
  do throws(ConfigError) {
    change = try SetArguments.parse(bytes: words)
  } catch {
    _ = error.description
    return []
  }
  let again = setWords(change, keys: keys)
  do throws(ConfigError) {
    let back = try SetArguments.parse(again)
    if back != change { return ["set round trip changed it: \(again.joined(separator: " "))"] }
  } catch {
    return ["set round trip refused (\(error)): \(again.joined(separator: " "))"]
  }
  return []
}

/// `wg set` words that say `change` (key files written by the fixture).
public func setWords(_ change: DeviceChange, keys: KeyFileFixture) -> [String] {
  keys.beginSet()
  var w: [String] = []
  if let p = change.listenPort { w += ["listen-port", "\(p)"] }
  if let m = change.fwmark { w += ["fwmark", "\(m)"] }
  if let k = change.privateKey { w += ["private-key", keys.file(for: k)] }
  for p in change.peers {
    w += ["peer", p.publicKey.base64]
    if p.remove { w.append("remove") }
    if p.updateOnly { w.append("update-only") }
    if let k = p.presharedKey { w += ["preshared-key", keys.file(for: k)] }
    if let e = p.endpoint { w += ["endpoint", "\(e)"] }
    if let k = p.persistentKeepalive { w += ["persistent-keepalive", "\(k)"] }
    for list in allowedIPWords(p.allowedIPs, replace: p.replaceAllowedIPs, emptyAllowed: true) {
      w += ["allowed-ips", list]
    }
  }
  return w
}
