import SWGCore

/// The words of `wg set <interface> …` after the interface name, read as wg's
/// `config_read_cmd` reads them.
///
/// Grammar: `[listen-port P] [fwmark M] [private-key FILE] [peer KEY [remove] [update-only]
/// [preshared-key FILE] [endpoint H:P] [persistent-keepalive N] [allowed-ips LIST]]...`.
/// Device keywords are accepted only before the first `peer`; peer keywords only after one;
/// repeats are allowed (last value wins, allowed-IP lists accumulate). `update-only` is
/// swg's addition (the protocols' update-only flag). Key files are read and endpoints
/// resolved here, so everything is checked before anything is sent.
public enum SetArguments {
  /// `resolutionRetries` as in `ConfigValue.endpoint`: nil reads WG_ENDPOINT_RESOLUTION_RETRIES.
  public static func parse(
    _ words: [String], resolutionRetries: Int? = nil, warn: (ConfigWarning) -> Void = { _ in }
  ) throws(ConfigError) -> DeviceChange {
    try parse(bytes: words.map { Array($0.utf8) }, resolutionRetries: resolutionRetries, warn: warn)
  }

  /// The same, for words taken straight from argv as bytes.
  public static func parse(
    bytes words: [[UInt8]], resolutionRetries: Int? = nil, warn: (ConfigWarning) -> Void = { _ in }
  ) throws(ConfigError) -> DeviceChange {
    var change = DeviceChange()
    var peer: PeerChange?
    var i = 0
    func flushPeer() {
      if let p = peer { change.peers.append(p) }
    }
    while i < words.count {
      let word = words[i]
      let hasValue = i + 1 < words.count
      let value = hasValue ? words[i + 1] : []
      switch (String(decoding: truncatedAtNUL(word), as: UTF8.self), hasValue, peer != nil) {
      case ("listen-port", true, false):
        change.listenPort = try ConfigValue.port(value)
        i += 2
      case ("fwmark", true, false):
        change.fwmark = try ConfigValue.fwmark(value)
        i += 2
      case ("private-key", true, false):
        change.privateKey = try ConfigValue.keyFile(path: value)
        i += 2
      case ("peer", true, _):
        flushPeer()
        peer = PeerChange(publicKey: try ConfigValue.key(value))
        i += 2
      case ("remove", _, true):
        peer?.remove = true
        i += 1
      case ("update-only", _, true):
        peer?.updateOnly = true
        i += 1
      case ("endpoint", true, true):
        peer?.endpoint = try ConfigValue.endpoint(value, retries: resolutionRetries, warn: warn)
        i += 2
      case ("allowed-ips", true, true):
        let list = try ConfigValue.allowedIPs(value, warn: warn)
        peer?.replaceAllowedIPs = list.replacesExisting
        peer?.allowedIPs.append(contentsOf: list.entries)
        i += 2
      case ("persistent-keepalive", true, true):
        peer?.persistentKeepalive = try ConfigValue.persistentKeepalive(value)
        i += 2
      case ("preshared-key", true, true):
        peer?.presharedKey = try ConfigValue.keyFile(path: value)
        i += 2
      default:
        throw .invalidArgument(echo(word))
      }
    }
    flushPeer()
    return change
  }
}
