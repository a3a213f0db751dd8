// rtnetlink's message types, fixed headers and attribute sets, with the numbers from
// <linux/rtnetlink.h>, <linux/if_link.h>, <linux/if_addr.h> and <linux/fib_rules.h>.
// Each attribute set is its own type, so an attribute cannot land in the wrong message.

/// rtnetlink message types used by swg-quick.
public enum RouteMessageType: UInt16, Sendable {
  case newLink = 16, deleteLink = 17, getLink = 18
  case newAddress = 20, deleteAddress = 21, getAddress = 22
  case newRoute = 24, deleteRoute = 25, getRoute = 26
  case newRule = 32, deleteRule = 33, getRule = 34
}

/// `struct nlmsghdr` flags.
public struct RouteMessageFlags: OptionSet, Sendable {
  public var rawValue: UInt16
  public init(rawValue: UInt16) { self.rawValue = rawValue }
  public static let request = RouteMessageFlags(rawValue: 0x1)
  public static let multi = RouteMessageFlags(rawValue: 0x2)
  public static let ack = RouteMessageFlags(rawValue: 0x4)
  public static let dumpInterrupted = RouteMessageFlags(rawValue: 0x10)
  public static let dump = RouteMessageFlags(rawValue: 0x300)
  public static let replace = RouteMessageFlags(rawValue: 0x100)
  public static let exclusive = RouteMessageFlags(rawValue: 0x200)
  public static let create = RouteMessageFlags(rawValue: 0x400)
  /// In an ACK: extended-ack attributes follow the echoed header.
  public static let ackTLVs = RouteMessageFlags(rawValue: 0x200)
}

/// Attributes of `ifinfomsg` (IFLA_*).
public enum LinkAttribute: UInt16, Sendable {
  case ifname = 3, mtu = 4, linkinfo = 18
}

/// Attributes nested in IFLA_LINKINFO (IFLA_INFO_*).
public enum LinkInfoAttribute: UInt16, Sendable {
  case kind = 1
}

/// Attributes of `ifaddrmsg` (IFA_*).
public enum AddressAttribute: UInt16, Sendable {
  case address = 1, local = 2, label = 3, flags = 8
}

/// Attributes of `rtmsg` (RTA_*).
public enum RouteAttribute: UInt16, Sendable {
  case destination = 1, source = 2, inputInterface = 3, outputInterface = 4, gateway = 5
  case priority = 6, preferredSource = 7, metrics = 8, table = 15, mark = 16
}

/// Attributes nested in RTA_METRICS (RTAX_*).
public enum RouteMetricAttribute: UInt16, Sendable {
  case mtu = 2
}

/// Attributes of `fib_rule_hdr` (FRA_*).
public enum RuleAttribute: UInt16, Sendable {
  case priority = 6, fwmark = 10, suppressPrefixLength = 14, table = 15, fwmask = 16
}

/// Routing table ids with names (`/etc/iproute2/rt_tables`).
public enum RouteTableID {
  public static let unspecified: UInt32 = 0
  public static let main: UInt32 = 254
  public static let local: UInt32 = 255
}

/// `struct ifinfomsg` (16 bytes).
public struct LinkHeader: Sendable, Equatable {
  public var family: UInt8 = 0
  public var type: UInt16 = 0
  public var index: Int32 = 0
  public var flags: UInt32 = 0
  public var change: UInt32 = 0
  public static let size = 16
  public init(family: UInt8 = 0, index: Int32 = 0, flags: UInt32 = 0, change: UInt32 = 0) {
    self.family = family
    self.index = index
    self.flags = flags
    self.change = change
  }
  /// IFF_UP.
  public static let up: UInt32 = 0x1
}

/// `struct ifaddrmsg` (8 bytes).
public struct AddressHeader: Sendable, Equatable {
  public var family: UInt8
  public var prefixLength: UInt8
  public var flags: UInt8 = 0
  public var scope: UInt8 = 0
  public var index: UInt32
  public static let size = 8
  public init(family: UInt8, prefixLength: UInt8, flags: UInt8 = 0, scope: UInt8 = 0, index: UInt32) {
    self.family = family
    self.prefixLength = prefixLength
    self.flags = flags
    self.scope = scope
    self.index = index
  }
}

/// `struct rtmsg` (12 bytes).
public struct RouteHeader: Sendable, Equatable {
  public var family: UInt8
  public var destinationLength: UInt8 = 0
  public var sourceLength: UInt8 = 0
  public var tos: UInt8 = 0
  public var table: UInt8 = 0
  public var proto: UInt8 = 0
  public var scope: UInt8 = 0
  public var type: UInt8 = 0
  public var flags: UInt32 = 0
  public static let size = 12
  public init(
    family: UInt8, destinationLength: UInt8 = 0, table: UInt8 = 0, proto: UInt8 = 0,
    scope: UInt8 = 0, type: UInt8 = 0
  ) {
    self.family = family
    self.destinationLength = destinationLength
    self.table = table
    self.proto = proto
    self.scope = scope
    self.type = type
  }
  /// RTPROT_BOOT: what `ip route add` sets.
  public static let protoBoot: UInt8 = 3
  /// RT_SCOPE_LINK.
  public static let scopeLink: UInt8 = 253
  /// RT_SCOPE_UNIVERSE.
  public static let scopeUniverse: UInt8 = 0
  /// RTN_UNICAST.
  public static let unicast: UInt8 = 1
}

/// `struct fib_rule_hdr` (12 bytes).
public struct RuleHeader: Sendable, Equatable {
  public var family: UInt8
  public var table: UInt8 = 0
  public var action: UInt8 = 0
  public var flags: UInt32 = 0
  public static let size = 12
  public init(family: UInt8, table: UInt8 = 0, action: UInt8 = 0, flags: UInt32 = 0) {
    self.family = family
    self.table = table
    self.action = action
    self.flags = flags
  }
  /// FR_ACT_TO_TBL.
  public static let actionToTable: UInt8 = 1
  /// FIB_RULE_INVERT: the `not` of `ip rule`.
  public static let invert: UInt32 = 0x2
}
