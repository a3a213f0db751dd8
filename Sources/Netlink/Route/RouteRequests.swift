// The rtnetlink requests swg-quick sends, each shaped like the one iproute2 sends for the
// `ip` command in its doc comment, so the kernel state comes out the same. Built with the
// typed attribute sets of RouteAttributes.swift; pure, no socket here.

/// One rtnetlink request: a finished netlink message for `RouteSocket`.
public struct RouteRequest: Sendable, Equatable {
  public var message: NetlinkMessage

  public init(message: NetlinkMessage) { self.message = message }

  /// A dump (its answer spans many datagrams): sent alone, never in a batch.
  public var isDump: Bool { message.flags.contains(.dump) }

  /// A message of `type` with the family header `header` and the attributes `fill` writes.
  /// Routes, rules and addresses take under 100 bytes; the limit leaves room for any name.
  static func build<Set: AttributeSet>(
    _ type: RouteMessageType, _ flags: MessageFlags, header: [UInt8], room: Int = 0,
    as set: Set.Type = Set.self, _ fill: (inout AttributeWriter<Set>) -> Void = { _ in }
  ) -> RouteRequest {
    var m = MessageBuilder<Set>(
      type: type.rawValue, flags: flags, familyHeader: header, limit: 256 + room)
    fill(&m.attributes)
    return RouteRequest(message: m.finish())
  }

  private static let create: MessageFlags = [.request, .ack, .create, .exclusive]
  private static let change: MessageFlags = [.request, .ack]

  /// `ip link add dev NAME type KIND`
  public static func addLink(name: String, kind: String) -> RouteRequest {
    build(
      .newLink, create, header: InterfaceInfoHeader().bytes,
      room: name.utf8.count + kind.utf8.count, as: LinkSet.self
    ) { attributes in
      attributes.put(.interfaceName, name)
      attributes.nested(.linkInfo) { info in info.put(.kind, kind) }
    }
  }

  /// `ip link delete dev NAME`
  public static func deleteLink(index: Int32) -> RouteRequest {
    build(.deleteLink, change, header: InterfaceInfoHeader(index: index).bytes, as: LinkSet.self)
  }

  /// `ip link show dev NAME`: one RTM_NEWLINK back, or ENODEV.
  public static func getLink(name: String) -> RouteRequest {
    build(
      .getLink, [.request], header: InterfaceInfoHeader().bytes, room: name.utf8.count,
      as: LinkSet.self
    ) { $0.put(.interfaceName, name) }
  }

  /// `ip link show` of one index.
  public static func getLink(index: Int32) -> RouteRequest {
    build(.getLink, [.request], header: InterfaceInfoHeader(index: index).bytes, as: LinkSet.self)
  }

  /// `ip link set mtu MTU up dev NAME` (either part optional).
  public static func setLink(index: Int32, mtu: UInt32?, up: Bool) -> RouteRequest {
    let flag = up ? InterfaceInfoHeader.up : 0
    let header = InterfaceInfoHeader(index: index, flags: flag, change: flag)
    return build(.newLink, change, header: header.bytes, as: LinkSet.self) { attributes in
      if let mtu { attributes.put(.mtu, mtu) }
    }
  }

  /// `ip -4|-6 address add ADDRESS/PREFIX dev NAME`
  public static func addAddress(
    index: UInt32, family: UInt8, address: [UInt8], prefixLength: UInt8
  ) -> RouteRequest {
    let header = AddressHeader(family: family, prefixLength: prefixLength, index: index)
    return build(.newAddress, create, header: header.bytes, as: AddressSet.self) { attributes in
      attributes.put(.local, address)
      attributes.put(.address, address)
    }
  }

  /// `ip -4|-6 address delete ADDRESS/PREFIX dev NAME`
  public static func deleteAddress(
    index: UInt32, family: UInt8, address: [UInt8], prefixLength: UInt8
  ) -> RouteRequest {
    let header = AddressHeader(family: family, prefixLength: prefixLength, index: index)
    return build(.deleteAddress, change, header: header.bytes, as: AddressSet.self) {
      $0.put(.local, address)
    }
  }

  /// `ip -4|-6 route add PREFIX dev NAME [table TABLE]`: a link-scope unicast route,
  /// protocol boot. Tables above 255 go in RTA_TABLE, as iproute2 does.
  public static func addRoute(
    family: UInt8, destination: [UInt8], prefixLength: UInt8, outputInterface: UInt32,
    table: UInt32 = RouteTableID.main
  ) -> RouteRequest {
    routeChange(
      .newRoute, create, family: family, destination: destination, prefixLength: prefixLength,
      outputInterface: outputInterface, table: table, scope: RouteHeader.scopeLink)
  }

  /// `ip -4|-6 route delete PREFIX dev NAME [table TABLE]`
  public static func deleteRoute(
    family: UInt8, destination: [UInt8], prefixLength: UInt8, outputInterface: UInt32,
    table: UInt32 = RouteTableID.main
  ) -> RouteRequest {
    routeChange(
      .deleteRoute, change, family: family, destination: destination, prefixLength: prefixLength,
      outputInterface: outputInterface, table: table, scope: RouteHeader.scopeNowhere)
  }

  private static func routeChange(
    _ type: RouteMessageType, _ flags: MessageFlags, family: UInt8, destination: [UInt8],
    prefixLength: UInt8, outputInterface: UInt32, table: UInt32, scope: UInt8
  ) -> RouteRequest {
    let header = RouteHeader(
      family: family, destinationLength: prefixLength,
      table: table > 255 ? 0 : UInt8(truncatingIfNeeded: table), proto: RouteHeader.protoBoot,
      scope: scope, type: RouteHeader.unicast)
    return build(type, flags, header: header.bytes, as: RouteSet.self) { attributes in
      if table > 255 { attributes.put(.table, table) }
      attributes.put(.destination, destination)
      attributes.put(.outputInterface, outputInterface)
    }
  }

  /// `ip route get ADDRESS`: one RTM_NEWROUTE back.
  public static func getRoute(family: UInt8, destination: [UInt8]) -> RouteRequest {
    let header = RouteHeader(
      family: family, destinationLength: UInt8(truncatingIfNeeded: destination.count * 8))
    return build(.getRoute, [.request], header: header.bytes, as: RouteSet.self) {
      $0.put(.destination, destination)
    }
  }

  /// Every route of a family in every table (`ip route show table all`).
  public static func dumpRoutes(family: UInt8) -> RouteRequest {
    build(
      .getRoute, [.request, .dump], header: RouteHeader(family: family).bytes, as: RouteSet.self)
  }

  /// Every address of a family (AF_UNSPEC for all).
  public static func dumpAddresses(family: UInt8) -> RouteRequest {
    build(
      .getAddress, [.request, .dump],
      header: AddressHeader(family: family, prefixLength: 0, index: 0).bytes, as: AddressSet.self)
  }

  /// Every policy rule of a family.
  public static func dumpRules(family: UInt8) -> RouteRequest {
    build(.getRule, [.request, .dump], header: RuleHeader(family: family).bytes, as: RuleSet.self)
  }

  /// Every link.
  public static func dumpLinks() -> RouteRequest {
    build(.getLink, [.request, .dump], header: InterfaceInfoHeader().bytes, as: LinkSet.self)
  }

  /// `ip -4|-6 rule add [not] fwmark MARK table TABLE` (fwmark given) or
  /// `ip -4|-6 rule add table TABLE suppress_prefixlength N` (suppress given).
  public static func addRule(
    family: UInt8, table: UInt32, fwmark: UInt32? = nil, invert: Bool = false,
    suppressPrefixLength: UInt32? = nil
  ) -> RouteRequest {
    rule(
      .newRule, create, family: family, table: table, fwmark: fwmark, invert: invert,
      suppressPrefixLength: suppressPrefixLength, priority: nil, action: RuleHeader.actionToTable)
  }

  /// Deletes the rule matching every given field (`ip rule delete ...`); with the
  /// priority from a dump it names exactly one rule.
  public static func deleteRule(
    family: UInt8, table: UInt32, fwmark: UInt32? = nil, invert: Bool = false,
    suppressPrefixLength: UInt32? = nil, priority: UInt32? = nil
  ) -> RouteRequest {
    rule(
      .deleteRule, change, family: family, table: table, fwmark: fwmark, invert: invert,
      suppressPrefixLength: suppressPrefixLength, priority: priority, action: 0)
  }

  private static func rule(
    _ type: RouteMessageType, _ flags: MessageFlags, family: UInt8, table: UInt32,
    fwmark: UInt32?, invert: Bool, suppressPrefixLength: UInt32?, priority: UInt32?,
    action: UInt8
  ) -> RouteRequest {
    let header = RuleHeader(
      family: family, table: table > 255 ? 0 : UInt8(truncatingIfNeeded: table), action: action,
      flags: invert ? RuleHeader.invert : 0)
    return build(type, flags, header: header.bytes, as: RuleSet.self) { attributes in
      if let priority { attributes.put(.priority, priority) }
      if let fwmark { attributes.put(.fwmark, fwmark) }
      if let suppressPrefixLength { attributes.put(.suppressPrefixLength, suppressPrefixLength) }
      attributes.put(.table, table)
    }
  }
}
