import SWGCore

/// wg-quick's route order: every allowed IP of every peer, longest prefix first, ties in
/// reverse byte order of the text (`sort -nr -k 2 -t /` under LC_ALL=C). So all /0 come
/// last, `::/0` before `0.0.0.0/0`.
public enum RoutePlan {
  public static func ordered(_ prefixes: [AllowedIP]) -> [AllowedIP] {
    let keyed = prefixes.map { ($0, Array($0.description.utf8)) }
    return keyed.sorted { a, b in
      if a.0.cidr != b.0.cidr { return a.0.cidr > b.0.cidr }
      return b.1.lexicographicallyPrecedes(a.1)
    }.map(\.0)
  }

  /// True when `route` (a prefix on the link) contains `prefix`, which is what makes
  /// `ip route show dev IF match PREFIX` print it.
  public static func covers(_ route: AllowedIP, _ prefix: AllowedIP) -> Bool {
    guard route.cidr <= prefix.cidr else { return false }
    switch (route.address, prefix.address) {
    case (.v4(let r), .v4(let p)):
      let mask: UInt32 = route.cidr == 0 ? 0 : UInt32.max << (32 - UInt32(route.cidr))
      return r.value & mask == p.value & mask
    case (.v6(let r), .v6(let p)):
      let c = Int(route.cidr)
      let highMask: UInt64 = c >= 64 ? .max : (c == 0 ? 0 : UInt64.max << UInt64(64 - c))
      let lowMask: UInt64 = c <= 64 ? 0 : (c >= 128 ? .max : UInt64.max << UInt64(128 - c))
      return r.high & highMask == p.high & highMask && r.low & lowMask == p.low & lowMask
    default:
      return false
    }
  }

  /// `-4` or `-6`, as the trace lines print it.
  public static func familyFlag(_ address: IPAddress) -> String {
    if case .v6 = address { return "-6" }
    return "-4"
  }
}

/// One `Address` item: an address with an optional prefix length (32/128 when absent).
public struct InterfaceAddress: Sendable, Equatable, CustomStringConvertible {
  public var address: IPAddress
  public var prefixLength: UInt8
  /// The text from the config, printed in the trace as wg-quick prints it.
  public var text: String

  /// Parses `ADDR[/LEN]` as `ip address add` accepts it; nil when it does not.
  public init?(_ text: String) {
    let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
    guard let first = parts.first, let address = IPAddress(String(first)) else { return nil }
    var length = address.maxPrefixLength
    if parts.count == 2 {
      guard let n = UInt8(parts[1]), n <= address.maxPrefixLength else { return nil }
      length = n
    }
    self.address = address
    prefixLength = length
    self.text = text
  }

  public var description: String { text }
}
