// rtnetlink's message types and attribute sets, with the numbers from <linux/rtnetlink.h>,
// <linux/if_link.h>, <linux/if_addr.h> and <linux/fib_rules.h>. Each attribute set is its
// own type and each attribute carries its payload type, so an attribute cannot land in the
// wrong message or with the wrong width. Links use `LinkSet`/`LinkInfoSet` (LinkDump.swift).

/// rtnetlink message types used by swg-quick.
public enum RouteMessageType: UInt16, Sendable {
  case newLink = 16
  case deleteLink = 17
  case getLink = 18
  case newAddress = 20
  case deleteAddress = 21
  case getAddress = 22
  case newRoute = 24
  case deleteRoute = 25
  case getRoute = 26
  case newRule = 32
  case deleteRule = 33
  case getRule = 34
}

/// An address family number: AF_INET (2) or AF_INET6 (10).
public enum RouteFamily {
  public static let unspecified: UInt8 = 0
  public static let inet: UInt8 = 2
  public static let inet6: UInt8 = 10
}

/// Routing table ids with names (`/etc/iproute2/rt_tables`).
public enum RouteTableID {
  public static let unspecified: UInt32 = 0
  public static let main: UInt32 = 254
  public static let local: UInt32 = 255
}

// MARK: ifinfomsg (IFLA_*)

extension Attribute where Set == LinkSet, Value == UInt32 {
  /// `IFLA_MTU`.
  public static var mtu: Self { Self(4) }
}

// MARK: ifaddrmsg (IFA_*)

/// Address attributes (`linux/if_addr.h` IFA_*).
public enum AddressSet: AttributeSet {}

extension Attribute where Set == AddressSet, Value == [UInt8] {
  /// `IFA_ADDRESS`: the peer address on point-to-point links, else the same as IFA_LOCAL.
  public static var address: Self { Self(1) }
  /// `IFA_LOCAL`: the interface's own address.
  public static var local: Self { Self(2) }
}

extension Attribute where Set == AddressSet, Value == String {
  /// `IFA_LABEL`.
  public static var label: Self { Self(3) }
}

extension Attribute where Set == AddressSet, Value == UInt32 {
  /// `IFA_FLAGS`: IFA_F_* beyond the 8 bits of the header.
  public static var flags: Self { Self(8) }
}

// MARK: rtmsg (RTA_*)

/// Route attributes (`linux/rtnetlink.h` RTA_*).
public enum RouteSet: AttributeSet {}
/// Route metrics nested in RTA_METRICS (RTAX_*).
public enum RouteMetricSet: AttributeSet {}

extension Attribute where Set == RouteSet, Value == [UInt8] {
  /// `RTA_DST`: the destination prefix's address bytes (4 or 16).
  public static var destination: Self { Self(1) }
  /// `RTA_SRC`.
  public static var source: Self { Self(2) }
  /// `RTA_GATEWAY`.
  public static var gateway: Self { Self(5) }
  /// `RTA_PREFSRC`.
  public static var preferredSource: Self { Self(7) }
}

extension Attribute where Set == RouteSet, Value == UInt32 {
  /// `RTA_IIF`.
  public static var inputInterface: Self { Self(3) }
  /// `RTA_OIF`.
  public static var outputInterface: Self { Self(4) }
  /// `RTA_PRIORITY`: the route's metric.
  public static var priority: Self { Self(6) }
  /// `RTA_TABLE`: the table id when it does not fit the header's 8 bits.
  public static var table: Self { Self(15) }
  /// `RTA_MARK`.
  public static var mark: Self { Self(16) }
}

extension NestedAttribute where Set == RouteSet, Inner == RouteMetricSet {
  /// `RTA_METRICS`.
  public static var metrics: Self { Self(8) }
}

extension Attribute where Set == RouteMetricSet, Value == UInt32 {
  /// `RTAX_MTU`: a route's locked MTU or a cached path MTU.
  public static var mtu: Self { Self(2) }
}

// MARK: fib_rule_hdr (FRA_*)

/// Policy rule attributes (`linux/fib_rules.h` FRA_*).
public enum RuleSet: AttributeSet {}

extension Attribute where Set == RuleSet, Value == UInt32 {
  /// `FRA_PRIORITY`.
  public static var priority: Self { Self(6) }
  /// `FRA_FWMARK`.
  public static var fwmark: Self { Self(10) }
  /// `FRA_SUPPRESS_PREFIXLEN`.
  public static var suppressPrefixLength: Self { Self(14) }
  /// `FRA_TABLE`.
  public static var table: Self { Self(15) }
  /// `FRA_FWMASK`.
  public static var fwmask: Self { Self(16) }
}
