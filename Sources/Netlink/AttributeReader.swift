// The attribute decoder: walks `(type, flags, payload)` triples in a byte buffer, checking
// every length against what is left, so no input makes it read past the buffer or trap.
//
// It reads raw memory lent by `withAttributes`: an attribute is a few integers and a
// pointer, with no reference count to touch, so a dump of 10,000 peers (300,000
// attributes) costs what walking the bytes costs. Readers and payloads are valid only
// inside the closure that lent the bytes.

/// One attribute as it arrived: its number, flag bits and payload (padding excluded).
public struct RawAttribute<Set: AttributeSet> {
  /// The attribute number, without flag bits.
  public var type: UInt16
  /// NLA_F_NESTED was set.
  public var isNested: Bool
  /// NLA_F_NET_BYTEORDER was set.
  public var isNetworkByteOrder: Bool
  /// The payload bytes, borrowed from the buffer being read.
  public var payload: UnsafeRawBufferPointer

  @inlinable public init(
    type: UInt16, isNested: Bool = false, isNetworkByteOrder: Bool = false,
    payload: UnsafeRawBufferPointer
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

/// Reads the attributes of `Set` in borrowed bytes, one at a time.
public struct AttributeReader<Set: AttributeSet> {
  @usableFromInline let bytes: UnsafeRawBufferPointer
  @usableFromInline var offset: Int

  /// A reader over `bytes`, which must stay valid while it and its attributes are used.
  @inlinable public init(_ bytes: UnsafeRawBufferPointer) {
    self.bytes = bytes
    offset = 0
  }

  /// The next attribute, or nil at the end. Throws when a header or length is bad; the
  /// last attribute's padding may be missing, as the kernel allows.
  @inlinable @inline(__always)
  public mutating func next() throws(NetlinkError) -> RawAttribute<Set>? {
    let left = bytes.count &- offset
    if left <= 0 { return nil }
    guard left >= AttributeHeader.size else { throw Self.badHeader(size: nil, left: left) }
    let length = bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self)
    let rawType = bytes.loadUnaligned(fromByteOffset: offset &+ 2, as: UInt16.self)
    let size = Int(length)
    guard size >= AttributeHeader.size, size <= left else {
      throw Self.badHeader(size: size, left: left)
    }
    // offset + size <= bytes.count, so the payload lies inside the buffer.
    let payload = UnsafeRawBufferPointer(
      start: bytes.baseAddress.map { $0 + (offset &+ AttributeHeader.size) },
      count: size &- AttributeHeader.size)
    offset &+= min(AttributeHeader.align(size), left)
    return RawAttribute<Set>(
      type: rawType & AttributeHeader.typeMask,
      isNested: rawType & AttributeHeader.nestedFlag != 0,
      isNetworkByteOrder: rawType & AttributeHeader.networkByteOrderFlag != 0,
      payload: payload)
  }

  /// The error for a header that does not fit; out of line, so `next()` stays small.
  @usableFromInline @inline(never)
  static func badHeader(size: Int?, left: Int) -> NetlinkError {
    guard let size else { return .malformed("truncated attribute header") }
    if size < AttributeHeader.size { return .malformed("attribute length \(size) below 4") }
    return .malformed("attribute length \(size) overruns \(left) bytes")
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

  @inlinable public init(_ bytes: UnsafeRawBufferPointer) { raw = AttributeReader(bytes) }

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

/// Lends the bytes of `bytes` to `body` as raw memory (for readers that must not outlive it).
@inlinable public func withRawBytes<R>(
  _ bytes: ArraySlice<UInt8>, _ body: (UnsafeRawBufferPointer) throws(NetlinkError) -> R
) throws(NetlinkError) -> R {
  let result: Result<R, NetlinkError> = bytes.withUnsafeBytes { raw in
    do throws(NetlinkError) { return .success(try body(raw)) } catch { return .failure(error) }
  }
  return try result.get()
}

/// Runs `body` with a reader over the attributes of `Set` in `bytes`.
@inlinable public func withAttributes<Set: AttributeSet, R>(
  in bytes: ArraySlice<UInt8>, as set: Set.Type = Set.self,
  _ body: (inout AttributeReader<Set>) throws(NetlinkError) -> R
) throws(NetlinkError) -> R {
  try withRawBytes(bytes) { (raw) throws(NetlinkError) in
    var reader = AttributeReader<Set>(raw)
    return try body(&reader)
  }
}
