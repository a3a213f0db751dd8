// Decoding of rtnetlink replies with the typed attribute reader. Everything here reads kernel
// bytes: a message whose header or attributes do not parse gives nil (the entry is skipped),
// never a trap.

/// A link from RTM_NEWLINK.
public struct LinkEntry: Sendable, Equatable {
  public var index: Int32
  public var flags: UInt32
  public var name: String
  public var mtu: UInt32?
  public var kind: String?

  /// nil for another message type or a malformed message.
  public init?(_ message: NetlinkReply) {
    guard message.type == RouteMessageType.newLink.rawValue,
      let entry = try? Self.decode(message)
    else { return nil }
    self = entry
  }

  public init(
    index: Int32, flags: UInt32, name: String = "", mtu: UInt32? = nil, kind: String? = nil
  ) {
    self.index = index
    self.flags = flags
    self.name = name
    self.mtu = mtu
    self.kind = kind
  }

  static func decode(_ message: NetlinkReply) throws(NetlinkError) -> LinkEntry {
    let header = try InterfaceInfoHeader(payload: message.payload)
    var entry = LinkEntry(index: header.index, flags: header.flags)
    try message.withAttributes(after: InterfaceInfoHeader.size, as: LinkSet.self) { (attributes) throws(NetlinkError) in
      while let a = try attributes.next() {
        switch a {
        case .interfaceName: entry.name = try a.value(.interfaceName)
        case .mtu: entry.mtu = try a.value(.mtu)
        case .linkInfo:
          var info = a.nested(.linkInfo)
          while let i = try info.next() {
            if case .kind = i { entry.kind = try i.value(.kind) }
          }
        default: break
        }
      }
    }
    return entry
  }
}

/// An address from RTM_NEWADDR.
public struct AddressEntry: Sendable, Equatable {
  public var family: UInt8
  public var prefixLength: UInt8
  public var index: UInt32
  /// IFA_LOCAL when present (what `ip addr` prints), else IFA_ADDRESS.
  public var address: [UInt8]

  /// nil for another message type, a malformed message, or one without an address.
  public init?(_ message: NetlinkReply) {
    guard message.type == RouteMessageType.newAddress.rawValue,
      let entry = try? Self.decode(message)
    else { return nil }
    self = entry
  }

  init(family: UInt8, prefixLength: UInt8, index: UInt32, address: [UInt8]) {
    self.family = family
    self.prefixLength = prefixLength
    self.index = index
    self.address = address
  }

  static func decode(_ message: NetlinkReply) throws(NetlinkError) -> AddressEntry? {
    let header = try AddressHeader(payload: message.payload)
    var local: [UInt8]?
    var address: [UInt8]?
    try message.withAttributes(after: AddressHeader.size, as: AddressSet.self) { (attributes) throws(NetlinkError) in
      while let a = try attributes.next() {
        switch a {
        case .local: local = try a.value(.local)
        case .address: address = try a.value(.address)
        default: break
        }
      }
    }
    guard let bytes = local ?? address else { return nil }
    return AddressEntry(
      family: header.family, prefixLength: header.prefixLength, index: header.index,
      address: bytes)
  }
}

/// A route from RTM_NEWROUTE.
public struct RouteEntry: Sendable, Equatable {
  public var family: UInt8
  public var destinationLength: UInt8
  /// RTA_TABLE when present, else the header's 8-bit table.
  public var table: UInt32
  public var proto: UInt8
  public var scope: UInt8
  public var type: UInt8
  /// Empty for a default route.
  public var destination: [UInt8] = []
  public var outputInterface: UInt32?
  /// RTAX_MTU: a route's locked MTU or a cached path MTU.
  public var mtu: UInt32?

  /// nil for another message type or a malformed message.
  public init?(_ message: NetlinkReply) {
    guard message.type == RouteMessageType.newRoute.rawValue,
      let entry = try? Self.decode(message)
    else { return nil }
    self = entry
  }

  init(_ header: RouteHeader) {
    family = header.family
    destinationLength = header.destinationLength
    table = UInt32(header.table)
    proto = header.proto
    scope = header.scope
    type = header.type
  }

  static func decode(_ message: NetlinkReply) throws(NetlinkError) -> RouteEntry {
    var entry = RouteEntry(try RouteHeader(payload: message.payload))
    try message.withAttributes(after: RouteHeader.size, as: RouteSet.self) { (attributes) throws(NetlinkError) in
      while let a = try attributes.next() {
        switch a {
        case .destination: entry.destination = try a.value(.destination)
        case .outputInterface: entry.outputInterface = try a.value(.outputInterface)
        case .table: entry.table = try a.value(.table)
        case .metrics:
          var metrics = a.nested(.metrics)
          while let m = try metrics.next() {
            if case .mtu = m { entry.mtu = try m.value(.mtu) }
          }
        default: break
        }
      }
    }
    return entry
  }
}

/// A policy rule from RTM_NEWRULE.
public struct RuleEntry: Sendable, Equatable {
  public var family: UInt8
  /// FRA_TABLE when present, else the header's 8-bit table.
  public var table: UInt32
  public var action: UInt8
  public var flags: UInt32
  public var priority: UInt32?
  public var fwmark: UInt32?
  public var suppressPrefixLength: UInt32?

  /// nil for another message type or a malformed message.
  public init?(_ message: NetlinkReply) {
    guard message.type == RouteMessageType.newRule.rawValue,
      let entry = try? Self.decode(message)
    else { return nil }
    self = entry
  }

  init(_ header: RuleHeader) {
    family = header.family
    table = UInt32(header.table)
    action = header.action
    flags = header.flags
  }

  static func decode(_ message: NetlinkReply) throws(NetlinkError) -> RuleEntry {
    var entry = RuleEntry(try RuleHeader(payload: message.payload))
    try message.withAttributes(after: RuleHeader.size, as: RuleSet.self) { (attributes) throws(NetlinkError) in
      while let a = try attributes.next() {
        switch a {
        case .table: entry.table = try a.value(.table)
        case .priority: entry.priority = try a.value(.priority)
        case .fwmark: entry.fwmark = try a.value(.fwmark)
        case .suppressPrefixLength: entry.suppressPrefixLength = try a.value(.suppressPrefixLength)
        default: break
        }
      }
    }
    return entry
  }

  /// True for `not fwmark …`.
  public var inverted: Bool { flags & RuleHeader.invert != 0 }
}
