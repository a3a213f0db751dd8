// The typed attribute encoder. Writes attributes of one set into a message buffer that may
// not grow past `limit` bytes; a put that does not fit writes nothing and returns false,
// which is what a fragmenter acts on.

/// Appends attributes of `Set` to a netlink message under construction.
public struct AttributeWriter<Set: AttributeSet> {
  /// The whole message so far (headers included), not only this writer's attributes.
  public internal(set) var bytes: [UInt8]
  /// The size the message may not exceed.
  public let limit: Int

  /// A writer over `bytes` (usually a message's headers) that stops at `limit` bytes.
  public init(bytes: [UInt8] = [], limit: Int = Int(UInt32.max)) {
    self.bytes = bytes
    self.limit = limit
  }

  /// Bytes left before the limit.
  public var remaining: Int { limit - bytes.count }

  /// True when an attribute with `payloadCount` payload bytes still fits.
  public func fits(payloadCount: Int) -> Bool {
    payloadCount <= Int(UInt16.max) - AttributeHeader.size
      && AttributeHeader.align(AttributeHeader.size + payloadCount) <= remaining
  }

  /// Appends `value` as attribute `attribute`; false (and nothing written) when it does not fit.
  @discardableResult
  public mutating func put<Value>(_ attribute: Attribute<Set, Value>, _ value: Value) -> Bool {
    let count = value.attributePayloadCount
    guard fits(payloadCount: count) else { return false }
    appendHeader(type: attribute.type, length: AttributeHeader.size + count)
    value.appendAttributePayload(to: &bytes)
    pad()
    return true
  }

  /// Appends a nest of `Inner` attributes filled by `body`. The nest is closed here; when
  /// `body` returns false, or the nest cannot be opened or grows past 64 KiB, everything
  /// written for it is removed and the result is false.
  @discardableResult
  public mutating func nested<Inner>(
    _ attribute: NestedAttribute<Set, Inner>, _ body: (inout AttributeWriter<Inner>) -> Bool
  ) -> Bool {
    withNest(type: attribute.type) { (inner: inout AttributeWriter<Inner>) in body(&inner) }
  }

  /// Appends a nested array under `attribute`, filled by `body` one element at a time.
  /// Same rules as `nested`: false from `body` removes the whole array.
  @discardableResult
  public mutating func array<Element>(
    _ attribute: NestedArrayAttribute<Set, Element>, _ body: (inout ArrayWriter<Element>) -> Bool
  ) -> Bool {
    withNest(type: attribute.type) { (inner: inout AttributeWriter<Element>) in
      var elements = ArrayWriter(writer: AttributeWriter<Element>(bytes: [], limit: inner.limit))
      swap(&elements.writer.bytes, &inner.bytes)
      let keep = body(&elements)
      swap(&elements.writer.bytes, &inner.bytes)
      return keep
    }
  }

  /// Opens a nest, hands the buffer to a writer of another set, closes or cancels the nest.
  mutating func withNest<Inner>(type: UInt16, _ body: (inout AttributeWriter<Inner>) -> Bool)
    -> Bool
  {
    guard fits(payloadCount: 0) else { return false }
    let start = bytes.count
    appendHeader(type: type | AttributeHeader.nestedFlag, length: AttributeHeader.size)
    // Move (not copy) the buffer into the inner writer and back.
    var inner = AttributeWriter<Inner>(bytes: [], limit: limit)
    swap(&inner.bytes, &bytes)
    let keep = body(&inner)
    swap(&inner.bytes, &bytes)
    let length = bytes.count - start
    guard keep, length <= Int(UInt16.max) else {
      bytes.removeSubrange(start...)
      return false
    }
    setLength(UInt16(length), at: start)
    return true
  }

  mutating func appendHeader(type: UInt16, length: Int) {
    // nla_len then nla_type, host order, without temporary arrays.
    withUnsafeBytes(of: (UInt16(truncatingIfNeeded: length), type)) { bytes.append(contentsOf: $0) }
  }

  mutating func setLength(_ length: UInt16, at offset: Int) {
    withUnsafeBytes(of: length) { raw in
      bytes[offset] = raw[0]
      bytes[offset + 1] = raw[1]
    }
  }

  mutating func pad() {
    while bytes.count % 4 != 0 { bytes.append(0) }
  }
}

/// Appends the elements of a nested array; each element is a nest of `Element` attributes.
public struct ArrayWriter<Element: AttributeSet> {
  var writer: AttributeWriter<Element>
  /// Elements written so far.
  public private(set) var count = 0

  init(writer: AttributeWriter<Element>) { self.writer = writer }

  /// Bytes left before the limit.
  public var remaining: Int { writer.remaining }

  /// Appends one element (attribute type `index`, 0 by default as WireGuard and most
  /// families want) filled by `body`; false, with nothing written, when it does not fit
  /// or `body` returns false.
  @discardableResult
  public mutating func element(
    index: UInt16 = 0, _ body: (inout AttributeWriter<Element>) -> Bool
  ) -> Bool {
    let ok = writer.withNest(type: index) { (inner: inout AttributeWriter<Element>) in body(&inner)
    }
    if ok { count += 1 }
    return ok
  }
}
