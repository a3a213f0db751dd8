/// An address prefix routed to a peer, such as `10.0.0.0/24` or `fd00::/64`.
public struct AllowedIP: Hashable, Sendable, CustomStringConvertible {
  public var address: IPAddress
  /// Prefix length: at most 32 for IPv4 and 128 for IPv6.
  public var cidr: UInt8

  /// nil when the prefix length is too long for the address family.
  public init?(address: IPAddress, cidr: UInt8) {
    guard cidr <= address.maxPrefixLength else { return nil }
    self.address = address
    self.cidr = cidr
  }

  /// True when bits beyond the prefix are set (wg warns; the kernel masks them).
  public var hasHostBits: Bool {
    switch address {
    case .v4(let a):
      guard cidr < 32 else { return false }
      return a.value & (UInt32.max >> cidr) != 0
    case .v6(let a):
      if cidr >= 128 { return false }
      if cidr >= 64 { return a.low & (UInt64.max >> (cidr - 64)) != 0 }
      return a.low != 0 || a.high & (UInt64.max >> cidr) != 0
    }
  }

  /// `address/cidr`, as wg prints it.
  public var description: String { "\(address)/\(cidr)" }
}

/// One entry of an allowed-IP change: add the prefix, or remove it (`-prefix`).
public struct AllowedIPChange: Hashable, Sendable, CustomStringConvertible {
  public var allowedIP: AllowedIP
  /// Remove this prefix from the peer instead of adding it (Linux 6.16+, wireguard-go 2025+).
  public var remove: Bool

  public init(_ allowedIP: AllowedIP, remove: Bool = false) {
    self.allowedIP = allowedIP
    self.remove = remove
  }

  public var description: String { (remove ? "-" : "") + allowedIP.description }
}
