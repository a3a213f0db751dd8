import SWGConfig

/// What wg-quick takes from a config file's `[Interface]` section, and the rest of the
/// file (`WG_CONFIG`) that goes to the WireGuard device as `addconf` would send it.
/// SWGConfig's `WgQuickConfig` reads the file; this adds the interface name.
public struct QuickSettings: Sendable, Equatable {
  public var interface: String
  /// `Address` items in file order, as written (`10.0.0.1/24`, `fd00::1`).
  public var addresses: [String] = []
  /// `DNS` items that look like addresses.
  public var dnsServers: [String] = []
  /// `DNS` items that do not: search domains.
  public var dnsSearch: [String] = []
  /// `MTU` as written; nil = compute it.
  public var mtu: String?
  /// `Table` as written; nil or `auto` = main table with default-route handling.
  public var table: String?
  public var preUp: [String] = []
  public var postUp: [String] = []
  public var preDown: [String] = []
  public var postDown: [String] = []
  public var saveConfig = false
  /// The file with the wg-quick lines taken out (`wg-quick strip`'s output, less its
  /// final newline).
  public var wireGuardConfig: [UInt8] = []

  public init(interface: String) { self.interface = interface }

  public init(interface: String, config: WgQuickConfig) {
    self.interface = interface
    addresses = config.addresses
    dnsServers = config.dnsServers
    dnsSearch = config.dnsSearchDomains
    mtu = config.mtu
    table = config.table
    preUp = config.preUp
    postUp = config.postUp
    preDown = config.preDown
    postDown = config.postDown
    saveConfig = config.saveConfig
    wireGuardConfig = config.wgConfig
  }

  /// What `Table` asks for.
  public enum TableMode: Sendable, Equatable {
    /// No routes at all.
    case off
    /// Main table; a /0 gets the fwmark, rules and its own table.
    case auto
    /// Every route in this table, /0 included, no rules.
    case id(UInt32)
  }

  /// Reads `Table`: `off`, `auto` (or unset), a number, or a name from rt_tables.
  public func tableMode(names: [String: UInt32] = RouteTableNames.load()) throws(QuickError) -> TableMode {
    guard let table, table != "auto", !table.isEmpty else { return .auto }
    if table == "off" { return .off }
    if let id = names[table] ?? parseCUnsigned(table) { return .id(id) }
    throw .message("`\(table)' is not a valid routing table (Table = off, auto, a number or a name from rt_tables)")
  }
}

/// Routing table names as iproute2 reads them: the three built in, then rt_tables files.
public enum RouteTableNames {
  public static let builtIn: [String: UInt32] = ["default": 253, "main": 254, "local": 255]

  public static func load() -> [String: UInt32] {
    var names = builtIn
    for path in ["/usr/share/iproute2/rt_tables", "/etc/iproute2/rt_tables"] {
      guard let text = readSmallFile(path) else { continue }
      names.merge(parse(text)) { _, new in new }
    }
    return names
  }

  /// `NUMBER NAME` lines; `#` comments.
  public static func parse(_ text: String) -> [String: UInt32] {
    var out: [String: UInt32] = [:]
    for line in text.split(separator: "\n") {
      let body = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
      let words = body.split(whereSeparator: { $0 == " " || $0 == "\t" })
      guard words.count >= 2, let id = parseCUnsigned(String(words[0])) else { continue }
      out[String(words[1])] = id
    }
    return out
  }
}

/// An unsigned 32-bit number as strtoul with base 0 reads it (`51820`, `0xca6c`, `017`);
/// the whole text must be used.
public func parseCUnsigned(_ text: String) -> UInt32? {
  var digits = Substring(text)
  var radix = 10
  if digits.hasPrefix("0x") || digits.hasPrefix("0X") {
    radix = 16
    digits = digits.dropFirst(2)
  } else if digits.hasPrefix("0") && digits.count > 1 {
    radix = 8
    digits = digits.dropFirst()
  }
  guard !digits.isEmpty else { return nil }
  return UInt32(digits, radix: radix)
}
