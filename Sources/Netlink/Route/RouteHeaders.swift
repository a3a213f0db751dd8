// The fixed family headers of rtnetlink messages, as bytes and read back from a payload.
// `ifinfomsg` is `InterfaceInfoHeader` (NetlinkMessage.swift).

extension InterfaceInfoHeader {
  /// `IFF_UP`.
  public static let up: UInt32 = 0x1
}

/// `struct ifaddrmsg` (8 bytes).
public struct AddressHeader: Sendable, Equatable {
  public var family: UInt8
  public var prefixLength: UInt8
  public var flags: UInt8
  public var scope: UInt8
  public var index: UInt32

  public static let size = 8

  public init(family: UInt8, prefixLength: UInt8, flags: UInt8 = 0, scope: UInt8 = 0, index: UInt32)
  {
    self.family = family
    self.prefixLength = prefixLength
    self.flags = flags
    self.scope = scope
    self.index = index
  }

  public var bytes: [UInt8] { [family, prefixLength, flags, scope] + index.hostEndianBytes }

  public init(payload: ArraySlice<UInt8>) throws(NetlinkError) {
    guard payload.count >= Self.size, let index = UInt32(hostEndianBytes: payload, at: 4) else {
      throw .malformed("payload shorter than ifaddrmsg")
    }
    let s = payload.startIndex
    self.init(
      family: payload[s], prefixLength: payload[s + 1], flags: payload[s + 2],
      scope: payload[s + 3], index: index)
  }
}

/// `struct rtmsg` (12 bytes).
public struct RouteHeader: Sendable, Equatable {
  public var family: UInt8
  public var destinationLength: UInt8
  public var sourceLength: UInt8 = 0
  public var tos: UInt8 = 0
  /// The table id when below 256; 0 (RT_TABLE_UNSPEC) when RTA_TABLE says it.
  public var table: UInt8
  public var proto: UInt8
  public var scope: UInt8
  public var type: UInt8
  public var flags: UInt32 = 0

  public static let size = 12
  /// RTPROT_BOOT: what `ip route add` sets.
  public static let protoBoot: UInt8 = 3
  /// RT_SCOPE_LINK.
  public static let scopeLink: UInt8 = 253
  /// RT_SCOPE_UNIVERSE.
  public static let scopeUniverse: UInt8 = 0
  /// RT_SCOPE_NOWHERE: on delete, matches any scope.
  public static let scopeNowhere: UInt8 = 255
  /// RTN_UNICAST.
  public static let unicast: UInt8 = 1

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

  public var bytes: [UInt8] {
    [family, destinationLength, sourceLength, tos, table, proto, scope, type]
      + flags.hostEndianBytes
  }

  public init(payload: ArraySlice<UInt8>) throws(NetlinkError) {
    guard payload.count >= Self.size, let flags = UInt32(hostEndianBytes: payload, at: 8) else {
      throw .malformed("payload shorter than rtmsg")
    }
    let s = payload.startIndex
    self.init(
      family: payload[s], destinationLength: payload[s + 1], table: payload[s + 4],
      proto: payload[s + 5], scope: payload[s + 6], type: payload[s + 7])
    sourceLength = payload[s + 2]
    tos = payload[s + 3]
    self.flags = flags
  }
}

/// `struct fib_rule_hdr` (12 bytes).
public struct RuleHeader: Sendable, Equatable {
  public var family: UInt8
  /// The table id when below 256; 0 when FRA_TABLE says it.
  public var table: UInt8
  public var action: UInt8
  public var flags: UInt32

  public static let size = 12
  /// FR_ACT_TO_TBL.
  public static let actionToTable: UInt8 = 1
  /// FIB_RULE_INVERT: the `not` of `ip rule`.
  public static let invert: UInt32 = 0x2

  public init(family: UInt8, table: UInt8 = 0, action: UInt8 = 0, flags: UInt32 = 0) {
    self.family = family
    self.table = table
    self.action = action
    self.flags = flags
  }

  /// family, dst_len, src_len, tos, table, res1, res2, action, flags.
  public var bytes: [UInt8] { [family, 0, 0, 0, table, 0, 0, action] + flags.hostEndianBytes }

  public init(payload: ArraySlice<UInt8>) throws(NetlinkError) {
    guard payload.count >= Self.size, let flags = UInt32(hostEndianBytes: payload, at: 8) else {
      throw .malformed("payload shorter than fib_rule_hdr")
    }
    let s = payload.startIndex
    self.init(family: payload[s], table: payload[s + 4], action: payload[s + 7], flags: flags)
  }
}
