// The attribute decoder: walks `(type, flags, payload)` triples in a byte buffer, checking
// every length against what is left, so no input makes it read past the buffer or trap.

/// One attribute as it arrived: its number, flag bits and payload (padding excluded).
public struct RawAttribute<Set: AttributeSet>: Sendable {
  /// The attribute number, without flag bits.
  public var type: UInt16
  /// NLA_F_NESTED was set.
  public var isNested: Bool
  /// NLA_F_NET_BYTEORDER was set.
  public var isNetworkByteOrder: Bool
  public var payload: ArraySlice<UInt8>

  @inlinable public init(
    type: UInt16, isNested: Bool = false, isNetworkByteOrder: Bool = false,
    payload: ArraySlice<UInt8>
  ) {
    self.type = type
    self.isNested = isNested
    self.isNetworkByteOrder = isNetworkByteOrder
    self.payload = payload
  }

  /// The payload as `attribute`'s value type; throws when its length is wrong.
  @inlinable public func value<Value>(_ attribute: Attribute<Set, Value>) throws(NetlinkError)
    -> Value
  {
    try Value(attributePayload: payload)
  }

  /// The payload as a nest of `Inner` attributes.
  @inlinable public func nested<Inner>(_ attribute: NestedAttribute<Set, Inner>) -> AttributeReader<
    Inner
  > {
    AttributeReader(payload)
  }

  /// The payload as a nested array: each element's payload holds `Element` attributes.
  @inlinable public func elements<Element>(_ attribute: NestedArrayAttribute<Set, Element>)
    -> ArrayReader<
      Element
    >
  {
    ArrayReader(payload)
  }
}

/// Matches a raw attribute against a typed key in a `switch`.
@inlinable public func ~= <Set, Value>(pattern: Attribute<Set, Value>, value: RawAttribute<Set>)
  -> Bool
{
  pattern.type == value.type
}

@inlinable public func ~= <Set, Inner>(
  pattern: NestedAttribute<Set, Inner>, value: RawAttribute<Set>
) -> Bool {
  pattern.type == value.type
}

@inlinable public func ~= <Set, Element>(
  pattern: NestedArrayAttribute<Set, Element>, value: RawAttribute<Set>
)
  -> Bool
{
  pattern.type == value.type
}

/// Reads the attributes of `Set` in a buffer, one at a time.
public struct AttributeReader<Set: AttributeSet> {
  @usableFromInline let bytes: ArraySlice<UInt8>
  @usableFromInline var offset: Int

  @inlinable public init(_ bytes: ArraySlice<UInt8>) {
    self.bytes = bytes
    offset = 0
  }

  @inlinable public init(_ bytes: [UInt8]) { self.init(bytes[...]) }

  /// The next attribute, or nil at the end. Throws when a header or length is bad; the
  /// last attribute's padding may be missing, as the kernel allows.
  @inlinable public mutating func next() throws(NetlinkError) -> RawAttribute<Set>? {
    let left = bytes.count - offset
    if left == 0 { return nil }
    guard left >= AttributeHeader.size,
      let length = UInt16(hostEndianBytes: bytes, at: offset),
      let rawType = UInt16(hostEndianBytes: bytes, at: offset + 2)
    else { throw .malformed("truncated attribute header") }
    let size = Int(length)
    guard size >= AttributeHeader.size else { throw .malformed("attribute length \(size) below 4") }
    guard size <= left else { throw .malformed("attribute length \(size) overruns \(left) bytes") }
    let start = bytes.startIndex + offset
    let payload = bytes[(start + AttributeHeader.size)..<(start + size)]
    offset += min(AttributeHeader.align(size), left)
    return RawAttribute<Set>(
      type: rawType & AttributeHeader.typeMask,
      isNested: rawType & AttributeHeader.nestedFlag != 0,
      isNetworkByteOrder: rawType & AttributeHeader.networkByteOrderFlag != 0,
      payload: payload)
  }

  /// Calls `body` with each attribute in turn.
  @inlinable public mutating func forEach(_ body: (RawAttribute<Set>) throws(NetlinkError) -> Void)
    throws(NetlinkError)
  {
    while let attribute = try next() { try body(attribute) }
  }
}

/// Reads the elements of a nested array; each yields a reader over its attributes.
public struct ArrayReader<Element: AttributeSet> {
  @usableFromInline var raw: AttributeReader<Element>

  @inlinable public init(_ bytes: ArraySlice<UInt8>) { raw = AttributeReader(bytes) }

  /// The next element's attributes, or nil at the end.
  @inlinable public mutating func next() throws(NetlinkError) -> AttributeReader<Element>? {
    guard let element = try raw.next() else { return nil }
    return AttributeReader(element.payload)
  }

  @inlinable public mutating func forEach(
    _ body: (inout AttributeReader<Element>) throws(NetlinkError) -> Void
  ) throws(NetlinkError) {
    while var element = try next() { try body(&element) }
  }
}
