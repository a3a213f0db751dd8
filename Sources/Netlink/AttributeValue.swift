// Payload types of netlink attributes. Integers are host-endian, as netlink attributes are
// unless NLA_F_NET_BYTEORDER says otherwise; decoding insists on the exact width.

/// A value that can be an attribute's payload.
public protocol AttributeValue {
  /// Bytes the payload takes, before padding.
  var attributePayloadCount: Int { get }
  /// Writes exactly `attributePayloadCount` bytes into `payload` (which holds that many,
  /// zeroed).
  func writeAttributePayload(to payload: UnsafeMutableRawBufferPointer)
  /// Reads a payload; throws `NetlinkError.malformed` when the length is wrong.
  init(attributePayload payload: UnsafeRawBufferPointer) throws(NetlinkError)
}

extension AttributeValue where Self: FixedWidthInteger {
  @inlinable public var attributePayloadCount: Int { MemoryLayout<Self>.size }

  @inlinable public func writeAttributePayload(to payload: UnsafeMutableRawBufferPointer) {
    payload.storeBytes(of: self, as: Self.self)
  }

  @inlinable public init(attributePayload payload: UnsafeRawBufferPointer) throws(NetlinkError) {
    guard let value = Self(hostEndianBytes: payload) else {
      throw .malformed("\(MemoryLayout<Self>.size)-byte attribute has \(payload.count) bytes")
    }
    self = value
  }
}

extension FixedWidthInteger {
  /// Reads a host-endian integer from exactly `MemoryLayout<Self>.size` bytes.
  @inlinable public init?(hostEndianBytes bytes: ArraySlice<UInt8>) {
    guard bytes.count == MemoryLayout<Self>.size else { return nil }
    self = bytes.withUnsafeBytes { $0.loadUnaligned(as: Self.self) }
  }

  /// Reads a host-endian integer from exactly `MemoryLayout<Self>.size` bytes.
  @inlinable public init?(hostEndianBytes bytes: UnsafeRawBufferPointer) {
    guard bytes.count == MemoryLayout<Self>.size else { return nil }
    self = bytes.loadUnaligned(as: Self.self)
  }

  /// Reads a host-endian integer at `offset` bytes into `bytes`; nil past the end.
  @inlinable public init?(hostEndianBytes bytes: UnsafeRawBufferPointer, at offset: Int) {
    let size = MemoryLayout<Self>.size
    guard offset >= 0, bytes.count >= size, offset <= bytes.count - size else { return nil }
    self = bytes.loadUnaligned(fromByteOffset: offset, as: Self.self)
  }

  /// Reads a host-endian integer at `offset` bytes into `bytes`; nil past the end.
  @inlinable public init?(hostEndianBytes bytes: ArraySlice<UInt8>, at offset: Int) {
    let size = MemoryLayout<Self>.size
    guard offset >= 0, bytes.count >= size, offset <= bytes.count - size else { return nil }
    let start = bytes.startIndex + offset
    self.init(hostEndianBytes: bytes[start..<(start + size)])
  }

  /// The host-endian bytes of the value.
  @inlinable public var hostEndianBytes: [UInt8] { withUnsafeBytes(of: self) { Array($0) } }
}

extension UInt8: AttributeValue {}
extension UInt16: AttributeValue {}
extension UInt32: AttributeValue {}
extension UInt64: AttributeValue {}
extension Int32: AttributeValue {}
extension Int64: AttributeValue {}

/// A string sent NUL-terminated (`NLA_NUL_STRING`/`NLA_STRING`); reading stops at the
/// first NUL, and a payload without one is taken whole.
extension String: AttributeValue {
  @inlinable public var attributePayloadCount: Int { utf8.count + 1 }

  @inlinable public func writeAttributePayload(to payload: UnsafeMutableRawBufferPointer) {
    // The last byte, the NUL, is already zero.
    UnsafeMutableRawBufferPointer(rebasing: payload.dropLast()).copyBytes(from: utf8)
  }

  @inlinable public init(attributePayload payload: UnsafeRawBufferPointer) throws(NetlinkError) {
    let end = payload.firstIndex(of: 0) ?? payload.endIndex
    self = String(decoding: UnsafeRawBufferPointer(rebasing: payload[..<end]), as: UTF8.self)
  }
}

/// Raw bytes of any length (`NLA_BINARY`, addresses).
extension Array: AttributeValue where Element == UInt8 {
  @inlinable public var attributePayloadCount: Int { count }
  @inlinable public func writeAttributePayload(to payload: UnsafeMutableRawBufferPointer) {
    payload.copyBytes(from: self)
  }
  @inlinable public init(attributePayload payload: UnsafeRawBufferPointer) throws(NetlinkError) {
    self = Array(payload)
  }
}

/// A flag attribute (`NLA_FLAG`): present or absent, no payload.
public struct FlagPresent: AttributeValue, Sendable, Equatable {
  @inlinable public init() {}
  @inlinable public var attributePayloadCount: Int { 0 }
  @inlinable public func writeAttributePayload(to payload: UnsafeMutableRawBufferPointer) {}
  @inlinable public init(attributePayload payload: UnsafeRawBufferPointer) throws(NetlinkError) {
    guard payload.isEmpty else { throw .malformed("flag attribute has a payload") }
  }
}
