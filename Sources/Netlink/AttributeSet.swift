// Attribute sets as Swift types. An attribute key names its set and its payload type, so
// `put(.listenPort, UInt32(1))` does not compile when the set says the port is a UInt16.
//
// Declare a set once, as a caseless enum plus constrained static members:
//
//   public enum ControlSet: AttributeSet {}
//   extension Attribute where Set == ControlSet, Value == UInt16 {
//     public static var familyID: Self { Self(1) }
//   }

/// A family of attribute numbers (IFLA_*, CTRL_ATTR_*, WGDEVICE_A_*, ...).
public protocol AttributeSet {}

/// An attribute of `Set` whose payload is a `Value`.
public struct Attribute<Set: AttributeSet, Value: AttributeValue>: Sendable, Hashable {
  /// The attribute number, without the NLA_F_* flag bits.
  public let type: UInt16
  public init(_ type: UInt16) { self.type = type }
}

/// An attribute of `Set` whose payload is attributes of `Inner` (sent with NLA_F_NESTED).
public struct NestedAttribute<Set: AttributeSet, Inner: AttributeSet>: Sendable, Hashable {
  public let type: UInt16
  public init(_ type: UInt16) { self.type = type }
}

/// An attribute of `Set` whose payload is a list of nests, each holding attributes of
/// `Element` (a "nested array": the entries' own types are indexes, unused by most families).
public struct NestedArrayAttribute<Set: AttributeSet, Element: AttributeSet>: Sendable, Hashable {
  public let type: UInt16
  public init(_ type: UInt16) { self.type = type }
}

/// Netlink attribute header flag bits and sizes (`linux/netlink.h`).
public enum AttributeHeader {
  /// `NLA_HDRLEN`.
  /// (Constants as inlinable properties, so the decoder's loop reads no globals.)
  @inlinable public static var size: Int { 4 }
  /// `NLA_F_NESTED`.
  @inlinable public static var nestedFlag: UInt16 { 0x8000 }
  /// `NLA_F_NET_BYTEORDER`.
  @inlinable public static var networkByteOrderFlag: UInt16 { 0x4000 }
  /// `NLA_TYPE_MASK`.
  @inlinable public static var typeMask: UInt16 { 0x3FFF }

  /// `NLA_ALIGN`: rounds up to a multiple of 4.
  @inlinable public static func align(_ n: Int) -> Int { (n + 3) & ~3 }
}
