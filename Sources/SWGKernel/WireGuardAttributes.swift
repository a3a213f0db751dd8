// The `wireguard` generic netlink family (linux/wireguard.h): commands, flags and the three
// attribute sets, each attribute with its payload type.
import Glibc
import Netlink
import SWGCore

/// Family constants.
public enum WireGuardFamily {
  public static let name = "wireguard"
  public static let version: UInt8 = 1
  /// `WG_CMD_GET_DEVICE` (dump only) and `WG_CMD_SET_DEVICE`.
  public static let getDevice: UInt8 = 0
  public static let setDevice: UInt8 = 1

  /// `WGDEVICE_F_REPLACE_PEERS`.
  public static let replacePeersFlag: UInt32 = 1
  /// `WGPEER_F_REMOVE_ME`, `WGPEER_F_REPLACE_ALLOWEDIPS`, `WGPEER_F_UPDATE_ONLY`.
  public static let removePeerFlag: UInt32 = 1
  public static let replaceAllowedIPsFlag: UInt32 = 2
  public static let updateOnlyFlag: UInt32 = 4
  /// `WGALLOWEDIP_F_REMOVE_ME` (Linux 6.16+).
  public static let removeAllowedIPFlag: UInt32 = 1
}

/// `WGDEVICE_A_*`.
public enum WGDeviceSet: AttributeSet {}
/// `WGPEER_A_*`.
public enum WGPeerSet: AttributeSet {}
/// `WGALLOWEDIP_A_*`.
public enum WGAllowedIPSet: AttributeSet {}

extension Attribute where Set == WGDeviceSet, Value == UInt32 {
  public static var ifindex: Self { Self(1) }
  public static var flags: Self { Self(5) }
  public static var fwmark: Self { Self(7) }
}

extension Attribute where Set == WGDeviceSet, Value == String {
  public static var ifname: Self { Self(2) }
}

extension Attribute where Set == WGDeviceSet, Value == Key {
  public static var privateKey: Self { Self(3) }
  public static var publicKey: Self { Self(4) }
}

extension Attribute where Set == WGDeviceSet, Value == UInt16 {
  public static var listenPort: Self { Self(6) }
}

extension NestedArrayAttribute where Set == WGDeviceSet, Element == WGPeerSet {
  public static var peers: Self { Self(8) }
}

extension Attribute where Set == WGPeerSet, Value == Key {
  public static var publicKey: Self { Self(1) }
  public static var presharedKey: Self { Self(2) }
}

extension Attribute where Set == WGPeerSet, Value == UInt32 {
  public static var flags: Self { Self(3) }
  public static var protocolVersion: Self { Self(10) }
}

extension Attribute where Set == WGPeerSet, Value == Endpoint {
  public static var endpoint: Self { Self(4) }
}

extension Attribute where Set == WGPeerSet, Value == UInt16 {
  public static var persistentKeepalive: Self { Self(5) }
}

extension Attribute where Set == WGPeerSet, Value == Timespec {
  public static var lastHandshake: Self { Self(6) }
}

extension Attribute where Set == WGPeerSet, Value == UInt64 {
  public static var rxBytes: Self { Self(7) }
  public static var txBytes: Self { Self(8) }
}

extension NestedArrayAttribute where Set == WGPeerSet, Element == WGAllowedIPSet {
  public static var allowedIPs: Self { Self(9) }
}

extension Attribute where Set == WGAllowedIPSet, Value == UInt16 {
  public static var family: Self { Self(1) }
}

extension Attribute where Set == WGAllowedIPSet, Value == IPAddress {
  /// 4 or 16 bytes in network order, per WGALLOWEDIP_A_FAMILY.
  public static var address: Self { Self(2) }
}

extension Attribute where Set == WGAllowedIPSet, Value == UInt8 {
  public static var cidr: Self { Self(3) }
}

extension Attribute where Set == WGAllowedIPSet, Value == UInt32 {
  /// Linux 6.16+; older kernels refuse the attribute.
  public static var flags: Self { Self(4) }
}

/// Keys are exactly 32 bytes on the wire.
extension Key: AttributeValue {
  public var attributePayloadCount: Int { Key.length }

  public func writeAttributePayload(to payload: UnsafeMutableRawBufferPointer) {
    withUnsafeBytes { payload.copyMemory(from: $0) }
  }

  public init(attributePayload payload: UnsafeRawBufferPointer) throws(NetlinkError) {
    guard let key = Key(rawBytes: payload) else {
      throw .malformed("key attribute has \(payload.count) bytes, not 32")
    }
    self = key
  }
}

/// Endpoints are a `struct sockaddr_in` (16 bytes) or `struct sockaddr_in6` (28 bytes),
/// told apart by length and family, as the kernel and wg do.
extension Endpoint: AttributeValue {
  public var attributePayloadCount: Int {
    switch self {
    case .v4: return MemoryLayout<sockaddr_in>.size
    case .v6: return MemoryLayout<sockaddr_in6>.size
    }
  }

  public func writeAttributePayload(to payload: UnsafeMutableRawBufferPointer) {
    withSockaddr { payload.copyMemory(from: $0) }
  }

  public init(attributePayload payload: UnsafeRawBufferPointer) throws(NetlinkError) {
    let family = UInt16(hostEndianBytes: payload, at: 0).map { Int32($0) }
    let fits =
      (family == AF_INET && payload.count == MemoryLayout<sockaddr_in>.size)
      || (family == AF_INET6 && payload.count == MemoryLayout<sockaddr_in6>.size)
    guard fits, let endpoint = Endpoint(sockaddr: payload) else {
      throw .malformed("endpoint attribute is not a sockaddr_in or sockaddr_in6")
    }
    self = endpoint
  }
}

/// An address as `struct in_addr` or `struct in6_addr`: network order, told apart by length.
extension IPAddress: AttributeValue {
  public var attributePayloadCount: Int {
    switch self {
    case .v4: return 4
    case .v6: return 16
    }
  }

  public func writeAttributePayload(to payload: UnsafeMutableRawBufferPointer) {
    switch self {
    case .v4(let a): payload.storeBytes(of: a.value.bigEndian, as: UInt32.self)
    case .v6(let a):
      payload.storeBytes(of: a.high.bigEndian, as: UInt64.self)
      payload.storeBytes(of: a.low.bigEndian, toByteOffset: 8, as: UInt64.self)
    }
  }

  public init(attributePayload payload: UnsafeRawBufferPointer) throws(NetlinkError) {
    switch payload.count {
    case 4: self = .v4(IPv4Address(UInt32(bigEndian: payload.loadUnaligned(as: UInt32.self))))
    case 16:
      self = .v6(
        IPv6Address(
          high: UInt64(bigEndian: payload.loadUnaligned(as: UInt64.self)),
          low: UInt64(bigEndian: payload.loadUnaligned(fromByteOffset: 8, as: UInt64.self))))
    default: throw .malformed("address attribute has \(payload.count) bytes, not 4 or 16")
    }
  }
}

/// `struct __kernel_timespec`: two host-endian 64-bit integers.
extension Timespec: AttributeValue {
  public var attributePayloadCount: Int { 16 }

  public func writeAttributePayload(to payload: UnsafeMutableRawBufferPointer) {
    payload.storeBytes(of: seconds, as: Int64.self)
    payload.storeBytes(of: nanoseconds, toByteOffset: 8, as: Int64.self)
  }

  public init(attributePayload payload: UnsafeRawBufferPointer) throws(NetlinkError) {
    guard payload.count == 16, let s = Int64(hostEndianBytes: payload, at: 0),
      let ns = Int64(hostEndianBytes: payload, at: 8)
    else { throw .malformed("timespec attribute has \(payload.count) bytes, not 16") }
    self.init(seconds: s, nanoseconds: ns)
  }
}
