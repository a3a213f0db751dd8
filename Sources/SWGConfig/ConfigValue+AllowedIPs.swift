import SWGCore

/// One `AllowedIPs` value or `allowed-ips` argument, parsed.
public struct AllowedIPList: Equatable, Sendable {
  /// In the order written; `-` entries remove, others add.
  public var entries: [AllowedIPChange]
  /// False when any entry had a `+` or `-` prefix (an incremental change); true otherwise,
  /// meaning the list replaces the peer's allowed IPs.
  public var replacesExisting: Bool

  public init(entries: [AllowedIPChange], replacesExisting: Bool) {
    self.entries = entries
    self.replacesExisting = replacesExisting
  }
}

extension ConfigValue {
  /// A comma-separated allowed-IP list as wg reads it: all whitespace deleted, then each
  /// entry `[+|-]ADDRESS[/CIDR]`, the prefix length defaulting to 32 or 128. An empty list
  /// is valid and replaces with nothing. Entries with bits set beyond the prefix are
  /// accepted with a warning.
  public static func allowedIPs(
    _ text: String, warn: (ConfigWarning) -> Void = { _ in }
  ) throws(ConfigError) -> AllowedIPList {
    try allowedIPs(Array(text.utf8), warn: warn)
  }

  public static func allowedIPs(
    _ text: [UInt8], warn: (ConfigWarning) -> Void = { _ in }
  ) throws(ConfigError) -> AllowedIPList {
    let value = truncatedAtNUL(text).filter { !isSpace($0) }
    var list = AllowedIPList(entries: [], replacesExisting: true)
    if value.isEmpty { return list }
    for var entry in value.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
      var remove = false
      if let sign = entry.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
        remove = sign == UInt8(ascii: "-")
        list.replacesExisting = false
        entry = entry.dropFirst()
      }
      let slash = entry.firstIndex(of: UInt8(ascii: "/"))
      let ipText = slash.map { entry[..<$0] } ?? entry
      let maskText = slash.map { entry[entry.index(after: $0)...] }
      guard let address = ipAddress(ipText) else { throw .invalidIPAddress(value: echo(ipText)) }
      let cidr: UInt64
      if let maskText {
        guard let first = maskText.first, isDigit(first),
          let n = parseUnsigned(maskText, radix: 10), n <= UInt64(address.maxPrefixLength)
        else { throw .invalidAllowedIP(value: echo(entry)) }
        cidr = n
      } else {
        cidr = UInt64(address.maxPrefixLength)
      }
      guard let allowedIP = AllowedIP(address: address, cidr: UInt8(cidr)) else {
        throw .invalidAllowedIP(value: echo(entry))
      }
      if allowedIP.hasHostBits {
        warn(.allowedIPHostBits(address: echo(ipText), cidr: echo(maskText ?? [])))
      }
      list.entries.append(AllowedIPChange(allowedIP, remove: remove))
    }
    return list
  }

  /// An address as wg's `parse_ip` reads it: text with a `:` is IPv6, anything else strict
  /// dotted-quad IPv4 (inet_pton).
  static func ipAddress(_ text: ArraySlice<UInt8>) -> IPAddress? {
    guard !text.contains(0) else { return nil }
    if !text.contains(UInt8(ascii: ":")) {
      // Same acceptance as inet_pton(AF_INET), without making a String.
      return IPv4Address(text: text).map { .v4($0) }
    }
    guard let string = String(validating: text, as: UTF8.self) else { return nil }
    return IPAddress(string)
  }
}
