// Byte encoding of rtnetlink requests: nlmsghdr, a fixed family header, then attributes.
// Pure functions over [UInt8]; the socket lives in RouteSocket.swift.

/// Appends netlink attributes of one attribute set, 4-byte aligned, host-endian.
public struct RouteAttributeWriter<Attribute: RawRepresentable> where Attribute.RawValue == UInt16 {
  public private(set) var bytes: [UInt8] = []

  public init() {}

  public mutating func put(_ attribute: Attribute, bytes payload: [UInt8]) {
    appendHeader(type: attribute.rawValue, payloadLength: payload.count)
    bytes += payload
    pad()
  }

  public mutating func put(_ attribute: Attribute, u32 value: UInt32) {
    put(attribute, bytes: rtHostBytes(value))
  }

  /// A NUL-terminated string, as IFLA_IFNAME and IFLA_INFO_KIND are sent.
  public mutating func put(_ attribute: Attribute, string: String) {
    put(attribute, bytes: Array(string.utf8) + [0])
  }

  /// A nested set of another attribute type; NLA_F_NESTED is set as the kernel expects.
  public mutating func nested<Inner>(
    _ attribute: Attribute, _ body: (inout RouteAttributeWriter<Inner>) -> Void
  ) {
    var inner = RouteAttributeWriter<Inner>()
    body(&inner)
    appendHeader(type: attribute.rawValue | 0x8000, payloadLength: inner.bytes.count)
    bytes += inner.bytes
  }

  private mutating func appendHeader(type: UInt16, payloadLength: Int) {
    bytes += rtHostBytes(UInt16(truncatingIfNeeded: 4 + payloadLength))
    bytes += rtHostBytes(type)
  }

  private mutating func pad() {
    while bytes.count % 4 != 0 { bytes.append(0) }
  }
}

/// Host-endian bytes of a fixed-width integer (netlink headers and most attributes).
func rtHostBytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
  withUnsafeBytes(of: value) { Array($0) }
}

/// One rtnetlink request, ready to be numbered and sent.
public struct RouteRequest: Sendable, Equatable {
  public var type: RouteMessageType
  public var flags: RouteMessageFlags
  /// The family header followed by its attributes.
  public var body: [UInt8]

  public init(type: RouteMessageType, flags: RouteMessageFlags, body: [UInt8]) {
    self.type = type
    self.flags = flags
    self.body = body
  }

  /// The whole message with its `nlmsghdr`; pid 0 lets the kernel fill in ours.
  public func encoded(sequence: UInt32) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(16 + body.count)
    out += rtHostBytes(UInt32(truncatingIfNeeded: 16 + body.count))
    out += rtHostBytes(type.rawValue)
    out += rtHostBytes(flags.rawValue)
    out += rtHostBytes(sequence)
    out += rtHostBytes(UInt32(0))
    out += body
    return out
  }
}

extension LinkHeader {
  var encoded: [UInt8] {
    [family, 0] + rtHostBytes(type) + rtHostBytes(index) + rtHostBytes(flags) + rtHostBytes(change)
  }
}

extension AddressHeader {
  var encoded: [UInt8] { [family, prefixLength, flags, scope] + rtHostBytes(index) }
}

extension RouteHeader {
  var encoded: [UInt8] {
    [family, destinationLength, sourceLength, tos, table, proto, scope, type] + rtHostBytes(flags)
  }
}

extension RuleHeader {
  var encoded: [UInt8] { [family, 0, 0, 0, table, 0, 0, action] + rtHostBytes(flags) }
}
