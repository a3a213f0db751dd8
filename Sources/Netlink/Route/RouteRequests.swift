// The rtnetlink requests swg-quick sends, each shaped like the one iproute2 sends for the
// `ip` command in its doc comment, so the kernel state comes out the same.

/// An address family number: AF_INET (2) or AF_INET6 (10).
public enum RouteFamily {
  public static let unspecified: UInt8 = 0
  public static let inet: UInt8 = 2
  public static let inet6: UInt8 = 10
}

extension RouteRequest {
  private static let create: RouteMessageFlags = [.request, .ack, .create, .exclusive]

  /// `ip link add dev NAME type KIND`
  public static func addLink(name: String, kind: String) -> RouteRequest {
    var attrs = RouteAttributeWriter<LinkAttribute>()
    attrs.put(.ifname, string: name)
    attrs.nested(.linkinfo) { (info: inout RouteAttributeWriter<LinkInfoAttribute>) in
      info.put(.kind, string: kind)
    }
    return RouteRequest(type: .newLink, flags: create, body: LinkHeader().encoded + attrs.bytes)
  }

  /// `ip link delete dev NAME`
  public static func deleteLink(index: Int32) -> RouteRequest {
    RouteRequest(type: .deleteLink, flags: [.request, .ack], body: LinkHeader(index: index).encoded)
  }

  /// `ip link show dev NAME`: one RTM_NEWLINK back, or ENODEV.
  public static func getLink(name: String) -> RouteRequest {
    var attrs = RouteAttributeWriter<LinkAttribute>()
    attrs.put(.ifname, string: name)
    return RouteRequest(type: .getLink, flags: [.request], body: LinkHeader().encoded + attrs.bytes)
  }

  /// `ip link show` of one index.
  public static func getLink(index: Int32) -> RouteRequest {
    RouteRequest(type: .getLink, flags: [.request], body: LinkHeader(index: index).encoded)
  }

  /// `ip link set mtu MTU up dev NAME` (either part optional).
  public static func setLink(index: Int32, mtu: UInt32?, up: Bool) -> RouteRequest {
    var attrs = RouteAttributeWriter<LinkAttribute>()
    if let mtu { attrs.put(.mtu, u32: mtu) }
    let header = LinkHeader(
      index: index, flags: up ? LinkHeader.up : 0, change: up ? LinkHeader.up : 0)
    return RouteRequest(type: .newLink, flags: [.request, .ack], body: header.encoded + attrs.bytes)
  }

  /// `ip -4|-6 address add ADDRESS/PREFIX dev NAME`
  public static func addAddress(
    index: UInt32, family: UInt8, address: [UInt8], prefixLength: UInt8
  ) -> RouteRequest {
    var attrs = RouteAttributeWriter<AddressAttribute>()
    attrs.put(.local, bytes: address)
    attrs.put(.address, bytes: address)
    let header = AddressHeader(family: family, prefixLength: prefixLength, index: index)
    return RouteRequest(type: .newAddress, flags: create, body: header.encoded + attrs.bytes)
  }

  /// `ip -4|-6 address delete ADDRESS/PREFIX dev NAME`
  public static func deleteAddress(
    index: UInt32, family: UInt8, address: [UInt8], prefixLength: UInt8
  ) -> RouteRequest {
    var attrs = RouteAttributeWriter<AddressAttribute>()
    attrs.put(.local, bytes: address)
    let header = AddressHeader(family: family, prefixLength: prefixLength, index: index)
    return RouteRequest(type: .deleteAddress, flags: [.request, .ack], body: header.encoded + attrs.bytes)
  }

  /// `ip -4|-6 route add PREFIX dev NAME [table TABLE]`: a link-scope unicast route,
  /// protocol boot. Tables above 255 go in RTA_TABLE, as iproute2 does.
  public static func addRoute(
    family: UInt8, destination: [UInt8], prefixLength: UInt8, outputInterface: UInt32,
    table: UInt32 = RouteTableID.main
  ) -> RouteRequest {
    routeChange(
      type: .newRoute, flags: create, family: family, destination: destination,
      prefixLength: prefixLength, outputInterface: outputInterface, table: table,
      scope: RouteHeader.scopeLink)
  }

  /// `ip -4|-6 route delete PREFIX dev NAME [table TABLE]`
  public static func deleteRoute(
    family: UInt8, destination: [UInt8], prefixLength: UInt8, outputInterface: UInt32,
    table: UInt32 = RouteTableID.main
  ) -> RouteRequest {
    routeChange(
      type: .deleteRoute, flags: [.request, .ack], family: family, destination: destination,
      prefixLength: prefixLength, outputInterface: outputInterface, table: table, scope: 255)
  }

  private static func routeChange(
    type: RouteMessageType, flags: RouteMessageFlags, family: UInt8, destination: [UInt8],
    prefixLength: UInt8, outputInterface: UInt32, table: UInt32, scope: UInt8
  ) -> RouteRequest {
    var attrs = RouteAttributeWriter<RouteAttribute>()
    if table > 255 { attrs.put(.table, u32: table) }
    attrs.put(.destination, bytes: destination)
    attrs.put(.outputInterface, u32: outputInterface)
    let header = RouteHeader(
      family: family, destinationLength: prefixLength,
      table: table > 255 ? 0 : UInt8(truncatingIfNeeded: table), proto: RouteHeader.protoBoot,
      scope: scope, type: RouteHeader.unicast)
    return RouteRequest(type: type, flags: flags, body: header.encoded + attrs.bytes)
  }

  /// `ip route get ADDRESS`: one RTM_NEWROUTE back.
  public static func getRoute(family: UInt8, destination: [UInt8]) -> RouteRequest {
    var attrs = RouteAttributeWriter<RouteAttribute>()
    attrs.put(.destination, bytes: destination)
    let header = RouteHeader(
      family: family, destinationLength: UInt8(truncatingIfNeeded: destination.count * 8))
    return RouteRequest(type: .getRoute, flags: [.request], body: header.encoded + attrs.bytes)
  }

  /// Every route of a family in every table (`ip route show table all`).
  public static func dumpRoutes(family: UInt8) -> RouteRequest {
    RouteRequest(type: .getRoute, flags: [.request, .dump], body: RouteHeader(family: family).encoded)
  }

  /// Every address of a family (AF_UNSPEC for all).
  public static func dumpAddresses(family: UInt8) -> RouteRequest {
    RouteRequest(
      type: .getAddress, flags: [.request, .dump],
      body: AddressHeader(family: family, prefixLength: 0, index: 0).encoded)
  }

  /// Every policy rule of a family.
  public static func dumpRules(family: UInt8) -> RouteRequest {
    RouteRequest(type: .getRule, flags: [.request, .dump], body: RuleHeader(family: family).encoded)
  }

  /// Every link.
  public static func dumpLinks() -> RouteRequest {
    RouteRequest(type: .getLink, flags: [.request, .dump], body: LinkHeader().encoded)
  }

  /// `ip -4|-6 rule add [not] fwmark MARK table TABLE` (fwmark given) or
  /// `ip -4|-6 rule add table TABLE suppress_prefixlength N` (suppress given).
  public static func addRule(
    family: UInt8, table: UInt32, fwmark: UInt32? = nil, invert: Bool = false,
    suppressPrefixLength: UInt32? = nil
  ) -> RouteRequest {
    rule(
      type: .newRule, flags: create, family: family, table: table, fwmark: fwmark,
      invert: invert, suppressPrefixLength: suppressPrefixLength, priority: nil,
      action: RuleHeader.actionToTable)
  }

  /// Deletes the rule matching every given field (`ip rule delete ...`); with the
  /// priority from a dump it names exactly one rule.
  public static func deleteRule(
    family: UInt8, table: UInt32, fwmark: UInt32? = nil, invert: Bool = false,
    suppressPrefixLength: UInt32? = nil, priority: UInt32? = nil
  ) -> RouteRequest {
    rule(
      type: .deleteRule, flags: [.request, .ack], family: family, table: table, fwmark: fwmark,
      invert: invert, suppressPrefixLength: suppressPrefixLength, priority: priority, action: 0)
  }

  private static func rule(
    type: RouteMessageType, flags: RouteMessageFlags, family: UInt8, table: UInt32, fwmark: UInt32?,
    invert: Bool, suppressPrefixLength: UInt32?, priority: UInt32?, action: UInt8
  ) -> RouteRequest {
    var attrs = RouteAttributeWriter<RuleAttribute>()
    if let priority { attrs.put(.priority, u32: priority) }
    if let fwmark { attrs.put(.fwmark, u32: fwmark) }
    if let suppressPrefixLength { attrs.put(.suppressPrefixLength, u32: suppressPrefixLength) }
    attrs.put(.table, u32: table)
    let header = RuleHeader(
      family: family, table: table > 255 ? 0 : UInt8(truncatingIfNeeded: table), action: action,
      flags: invert ? RuleHeader.invert : 0)
    return RouteRequest(type: type, flags: flags, body: header.encoded + attrs.bytes)
  }
}
