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
    list.replacesExisting = try value.withUnsafeBufferPointer { (v) throws(ConfigError) in
      try appendAllowedIPs(v, to: &list.entries, warn: warn)
    }
    return list
  }

  /// Parses a list that holds no whitespace or NUL (a stripped config line) and appends
  /// its entries to `entries`, allocating nothing per entry. Returns whether the list
  /// replaces the peer's allowed IPs (no entry had a `+`/`-` prefix).
  static func appendAllowedIPs(
    _ value: UnsafeBufferPointer<UInt8>, to entries: inout [AllowedIPChange],
    warn: (ConfigWarning) -> Void
  ) throws(ConfigError) -> Bool {
    let n = value.count
    if n == 0 { return true }
    if entries.isEmpty {
      var commas = 0
      for c in value where c == UInt8(ascii: ",") { commas += 1 }
      entries.reserveCapacity(commas + 1)
    }
    var replaces = true
    var i = 0
    while true {
      var end = i
      while end < n && value[end] != UInt8(ascii: ",") { end += 1 }
      var start = i
      var remove = false
      if start < end && (value[start] == UInt8(ascii: "-") || value[start] == UInt8(ascii: "+")) {
        remove = value[start] == UInt8(ascii: "-")
        replaces = false
        start += 1
      }
      var slash = start
      while slash < end && value[slash] != UInt8(ascii: "/") { slash += 1 }
      let entry = UnsafeBufferPointer(rebasing: value[start..<end])
      let ipText = UnsafeBufferPointer(rebasing: value[start..<slash])
      guard let address = ipAddress(ipText) else { throw .invalidIPAddress(value: echo(ipText)) }
      let cidr: UInt64
      var maskText: UnsafeBufferPointer<UInt8>? = nil
      if slash < end {
        let mask = UnsafeBufferPointer(rebasing: value[(slash + 1)..<end])
        guard let first = mask.first, isDigit(first),
          let bits = parseUnsigned(mask, radix: 10), bits <= UInt64(address.maxPrefixLength)
        else { throw .invalidAllowedIP(value: echo(entry)) }
        cidr = bits
        maskText = mask
      } else {
        cidr = UInt64(address.maxPrefixLength)
      }
      guard let allowedIP = AllowedIP(address: address, cidr: UInt8(cidr)) else {
        throw .invalidAllowedIP(value: echo(entry))
      }
      if allowedIP.hasHostBits {
        warn(.allowedIPHostBits(address: echo(ipText), cidr: echo(maskText ?? UnsafeBufferPointer(start: nil, count: 0))))
      }
      entries.append(AllowedIPChange(allowedIP, remove: remove))
      if end == n { return replaces }
      i = end + 1
    }
  }

  /// An address as wg's `parse_ip` reads it: text with a `:` is IPv6, anything else strict
  /// dotted-quad IPv4 (inet_pton).
  static func ipAddress(_ text: UnsafeBufferPointer<UInt8>) -> IPAddress? {
    if !text.contains(UInt8(ascii: ":")) {
      guard !text.contains(0) else { return nil }
      // Same acceptance as inet_pton(AF_INET), without making a String.
      return IPv4Address(text: text).map { .v4($0) }
    }
    return IPv6Address(textBuffer: text).map { .v6($0) }
  }
}
