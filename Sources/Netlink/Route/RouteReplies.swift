// Decoding of rtnetlink replies. Everything here reads kernel bytes, so every read is
// bounds-checked and a short or malformed message is skipped or reported, never trapped on.

/// One netlink message from a reply stream.
public struct RouteReply: Sendable {
  public var type: UInt16
  public var flags: RouteMessageFlags
  public var sequence: UInt32
  /// Everything after the 16-byte `nlmsghdr`.
  public var payload: ArraySlice<UInt8>

  /// Splits a datagram into messages; stops at the first malformed header.
  public static func split(_ bytes: ArraySlice<UInt8>) -> [RouteReply] {
    var out: [RouteReply] = []
    var at = bytes.startIndex
    while bytes.endIndex - at >= 16 {
      guard let length = rtReadU32(bytes, at), length >= 16, Int(length) <= bytes.endIndex - at,
        let type = rtReadU16(bytes, at + 4), let flags = rtReadU16(bytes, at + 6),
        let seq = rtReadU32(bytes, at + 8)
      else { break }
      out.append(
        RouteReply(
          type: type, flags: RouteMessageFlags(rawValue: flags), sequence: seq,
          payload: bytes[(at + 16)..<(at + Int(length))]))
      at += (Int(length) + 3) & ~3
    }
    return out
  }
}

/// Reads a host-endian integer at an absolute index, nil when it does not fit.
func rtReadInteger<T: FixedWidthInteger>(_ bytes: ArraySlice<UInt8>, _ at: Int, as: T.Type) -> T? {
  let size = MemoryLayout<T>.size
  guard at >= bytes.startIndex, at <= bytes.endIndex - size else { return nil }
  var value: T = 0
  withUnsafeMutableBytes(of: &value) { raw in
    for i in 0..<size { raw[i] = bytes[at + i] }
  }
  return value
}
func rtReadU16(_ b: ArraySlice<UInt8>, _ at: Int) -> UInt16? { rtReadInteger(b, at, as: UInt16.self) }
func rtReadU32(_ b: ArraySlice<UInt8>, _ at: Int) -> UInt32? { rtReadInteger(b, at, as: UInt32.self) }

/// Iterates `(type, payload)` over attributes; stops at the first one that overruns.
/// The NLA_F_NESTED and NLA_F_NET_BYTEORDER bits are masked off the type.
public struct RouteAttributes: Sequence, IteratorProtocol {
  private var rest: ArraySlice<UInt8>

  public init(_ bytes: ArraySlice<UInt8>) { rest = bytes }

  public mutating func next() -> (type: UInt16, payload: ArraySlice<UInt8>)? {
    guard rest.count >= 4, let length = rtReadU16(rest, rest.startIndex),
      let type = rtReadU16(rest, rest.startIndex + 2), length >= 4, Int(length) <= rest.count
    else { return nil }
    let start = rest.startIndex
    let payload = rest[(start + 4)..<(start + Int(length))]
    let advance = Swift.min((Int(length) + 3) & ~3, rest.count)
    rest = rest[(start + advance)...]
    return (type & 0x3fff, payload)
  }

  /// A u32 payload, nil on a wrong length.
  public static func u32(_ payload: ArraySlice<UInt8>) -> UInt32? {
    payload.count == 4 ? rtReadU32(payload, payload.startIndex) : nil
  }

  /// A string payload up to its NUL.
  public static func string(_ payload: ArraySlice<UInt8>) -> String {
    String(decoding: payload.prefix { $0 != 0 }, as: UTF8.self)
  }
}

/// A link from RTM_NEWLINK.
public struct LinkEntry: Sendable, Equatable {
  public var index: Int32
  public var flags: UInt32
  public var name: String
  public var mtu: UInt32?
  public var kind: String?

  public init?(_ message: RouteReply) {
    let p = message.payload
    guard message.type == RouteMessageType.newLink.rawValue, p.count >= LinkHeader.size,
      let index = rtReadInteger(p, p.startIndex + 4, as: Int32.self),
      let flags = rtReadU32(p, p.startIndex + 8)
    else { return nil }
    self.index = index
    self.flags = flags
    name = ""
    for (type, payload) in RouteAttributes(p.dropFirst(LinkHeader.size)) {
      switch LinkAttribute(rawValue: type) {
      case .ifname: name = RouteAttributes.string(payload)
      case .mtu: mtu = RouteAttributes.u32(payload)
      case .linkinfo:
        for (t, v) in RouteAttributes(payload) where t == LinkInfoAttribute.kind.rawValue {
          kind = RouteAttributes.string(v)
        }
      case nil: break
      }
    }
  }
}

/// An address from RTM_NEWADDR.
public struct AddressEntry: Sendable, Equatable {
  public var family: UInt8
  public var prefixLength: UInt8
  public var index: UInt32
  /// IFA_LOCAL when present (what `ip addr` prints), else IFA_ADDRESS.
  public var address: [UInt8]

  public init?(_ message: RouteReply) {
    let p = message.payload
    guard message.type == RouteMessageType.newAddress.rawValue, p.count >= AddressHeader.size,
      let index = rtReadU32(p, p.startIndex + 4)
    else { return nil }
    family = p[p.startIndex]
    prefixLength = p[p.startIndex + 1]
    self.index = index
    var local: [UInt8]?
    var address: [UInt8]?
    for (type, payload) in RouteAttributes(p.dropFirst(AddressHeader.size)) {
      switch AddressAttribute(rawValue: type) {
      case .local: local = Array(payload)
      case .address: address = Array(payload)
      default: break
      }
    }
    guard let a = local ?? address else { return nil }
    self.address = a
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

  public init?(_ message: RouteReply) {
    let p = message.payload
    guard message.type == RouteMessageType.newRoute.rawValue, p.count >= RouteHeader.size else {
      return nil
    }
    let s = p.startIndex
    family = p[s]
    destinationLength = p[s + 1]
    table = UInt32(p[s + 4])
    proto = p[s + 5]
    scope = p[s + 6]
    type = p[s + 7]
    for (t, payload) in RouteAttributes(p.dropFirst(RouteHeader.size)) {
      switch RouteAttribute(rawValue: t) {
      case .destination: destination = Array(payload)
      case .outputInterface: outputInterface = RouteAttributes.u32(payload)
      case .table: if let v = RouteAttributes.u32(payload) { table = v }
      case .metrics:
        for (m, v) in RouteAttributes(payload) where m == RouteMetricAttribute.mtu.rawValue {
          mtu = RouteAttributes.u32(v)
        }
      default: break
      }
    }
  }
}

/// A policy rule from RTM_NEWRULE.
public struct RuleEntry: Sendable, Equatable {
  public var family: UInt8
  public var table: UInt32
  public var action: UInt8
  public var flags: UInt32
  public var priority: UInt32?
  public var fwmark: UInt32?
  public var suppressPrefixLength: UInt32?

  public init?(_ message: RouteReply) {
    let p = message.payload
    guard message.type == RouteMessageType.newRule.rawValue, p.count >= RuleHeader.size,
      let flags = rtReadU32(p, p.startIndex + 8)
    else { return nil }
    family = p[p.startIndex]
    table = UInt32(p[p.startIndex + 4])
    action = p[p.startIndex + 7]
    self.flags = flags
    for (t, payload) in RouteAttributes(p.dropFirst(RuleHeader.size)) {
      switch RuleAttribute(rawValue: t) {
      case .table: if let v = RouteAttributes.u32(payload) { table = v }
      case .priority: priority = RouteAttributes.u32(payload)
      case .fwmark: fwmark = RouteAttributes.u32(payload)
      case .suppressPrefixLength: suppressPrefixLength = RouteAttributes.u32(payload)
      default: break
      }
    }
  }

  /// True for `not fwmark …`.
  public var inverted: Bool { flags & RuleHeader.invert != 0 }
}
