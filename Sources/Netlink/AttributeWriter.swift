// The typed attribute encoder. Writes attributes of one set into a message buffer that may
// not grow past `limit` bytes; a put that does not fit writes nothing and returns false,
// which is what a fragmenter acts on.
//
// The buffer is zero-filled ahead of what is written and grows by doubling; a put claims
// its aligned size with one bounds check and stores header and payload into place, so the
// padding is already zero. Inlinable, so callers in other modules get it specialised for
// their attribute sets (an unspecialised generic put looked up type metadata at run time,
// and appending a few bytes at a time through Array cost ~70 instructions an attribute).

/// Appends attributes of `Set` to a netlink message under construction.
public struct AttributeWriter<Set: AttributeSet> {
  /// The storage: bytes `0..<used` are the message so far; every byte after is zero.
  @usableFromInline var buffer: [UInt8]
  @usableFromInline var used: Int
  /// The size the message may not exceed.
  public let limit: Int

  /// A writer over `bytes` (usually a message's headers) that stops at `limit` bytes.
  @inlinable public init(bytes: [UInt8] = [], limit: Int = Int(UInt32.max)) {
    buffer = bytes
    used = bytes.count
    self.limit = limit
  }

  /// The whole message so far (headers included), not only this writer's attributes.
  public var bytes: [UInt8] {
    used == buffer.count ? buffer : Array(buffer[0..<used])
  }

  /// The number of bytes written so far.
  @inlinable public var count: Int { used }

  /// Bytes left before the limit.
  @inlinable public var remaining: Int { limit - used }

  /// True when an attribute with `payloadCount` payload bytes still fits.
  @inlinable public func fits(payloadCount: Int) -> Bool {
    payloadCount >= 0 && payloadCount <= Int(UInt16.max) - AttributeHeader.size
      && AttributeHeader.align(AttributeHeader.size + payloadCount) <= remaining
  }

  /// Appends `value` as attribute `attribute`; false (and nothing written) when it does not fit.
  @inlinable @discardableResult
  public mutating func put<Value>(_ attribute: Attribute<Set, Value>, _ value: Value) -> Bool {
    let count = value.attributePayloadCount
    guard fits(payloadCount: count) else { return false }
    let at = claim(AttributeHeader.align(AttributeHeader.size + count))
    buffer.withUnsafeMutableBytes { raw in
      raw.storeBytes(
        of: UInt16(truncatingIfNeeded: AttributeHeader.size + count), toByteOffset: at,
        as: UInt16.self)
      raw.storeBytes(of: attribute.type, toByteOffset: at + 2, as: UInt16.self)
      let start = at + AttributeHeader.size
      value.writeAttributePayload(to: UnsafeMutableRawBufferPointer(rebasing: raw[start..<(start + count)]))
    }
    return true
  }

  /// Appends a nest of `Inner` attributes filled by `body`. The nest is closed here; when
  /// `body` returns false, or the nest cannot be opened or grows past 64 KiB, everything
  /// written for it is removed (and zeroed) and the result is false.
  @inlinable @discardableResult
  public mutating func nested<Inner>(
    _ attribute: NestedAttribute<Set, Inner>, _ body: (inout AttributeWriter<Inner>) -> Bool
  ) -> Bool {
    withNest(type: attribute.type) { (inner: inout AttributeWriter<Inner>) in body(&inner) }
  }

  /// Appends a nested array under `attribute`, filled by `body` one element at a time.
  /// Same rules as `nested`: false from `body` removes the whole array.
  @inlinable @discardableResult
  public mutating func array<Element>(
    _ attribute: NestedArrayAttribute<Set, Element>, _ body: (inout ArrayWriter<Element>) -> Bool
  ) -> Bool {
    withNest(type: attribute.type) { (inner: inout AttributeWriter<Element>) in
      var elements = ArrayWriter(writer: AttributeWriter<Element>(bytes: [], limit: inner.limit))
      elements.writer.swapStorage(with: &inner)
      let keep = body(&elements)
      elements.writer.swapStorage(with: &inner)
      return keep
    }
  }

  /// Opens a nest, hands the buffer to a writer of another set, closes or cancels the nest.
  @inlinable mutating func withNest<Inner>(
    type: UInt16, _ body: (inout AttributeWriter<Inner>) -> Bool
  ) -> Bool {
    guard fits(payloadCount: 0) else { return false }
    let start = claim(AttributeHeader.size)
    // Move (not copy) the buffer into the inner writer and back.
    var inner = AttributeWriter<Inner>(bytes: [], limit: limit)
    inner.swapStorage(with: &self)
    let keep = body(&inner)
    inner.swapStorage(with: &self)
    let length = used - start
    guard keep, length <= Int(UInt16.max) else {
      cancel(from: start)
      return false
    }
    buffer.withUnsafeMutableBytes { raw in
      raw.storeBytes(of: UInt16(truncatingIfNeeded: length), toByteOffset: start, as: UInt16.self)
      raw.storeBytes(
        of: type | AttributeHeader.nestedFlag, toByteOffset: start + 2, as: UInt16.self)
    }
    return true
  }

  /// Takes `size` bytes at the end (zero, as everything past `used` is) and returns where
  /// they start. Callers have checked `size` against the limit.
  @inlinable mutating func claim(_ size: Int) -> Int {
    let at = used
    if buffer.count - at < size { grow(toHold: at + size) }
    used = at + size
    return at
  }

  /// Zero-fills the storage to at least `count` bytes, doubling it.
  @usableFromInline mutating func grow(toHold count: Int) {
    let target = Swift.max(count, buffer.count * 2, 256)
    buffer.append(contentsOf: repeatElement(0, count: target - buffer.count))
  }

  /// Drops everything from `start` on, zeroing it: the tail must stay zero, and a removed
  /// peer's keys must not linger in the storage.
  @inlinable mutating func cancel(from start: Int) {
    buffer.withUnsafeMutableBytes { raw in
      let tail = UnsafeMutableRawBufferPointer(rebasing: raw[start..<used])
      tail.initializeMemory(as: UInt8.self, repeating: 0)
    }
    used = start
  }

  @inlinable mutating func swapStorage<Other>(with other: inout AttributeWriter<Other>) {
    swap(&buffer, &other.buffer)
    swap(&used, &other.used)
  }

  /// The bytes written, the storage's zero tail cut off: the same storage, no copy.
  @inlinable mutating func takeBytes() -> [UInt8] {
    if used < buffer.count { buffer.removeSubrange(used...) }
    return buffer
  }
}

/// Appends the elements of a nested array; each element is a nest of `Element` attributes.
public struct ArrayWriter<Element: AttributeSet> {
  @usableFromInline var writer: AttributeWriter<Element>
  /// Elements written so far.
  public var count: Int { written }
  @usableFromInline var written = 0

  @inlinable init(writer: AttributeWriter<Element>) { self.writer = writer }

  /// Bytes left before the limit.
  @inlinable public var remaining: Int { writer.remaining }

  /// Appends one element (attribute type `index`, 0 by default as WireGuard and most
  /// families want) filled by `body`; false, with nothing written, when it does not fit
  /// or `body` returns false.
  @inlinable @discardableResult
  public mutating func element(
    index: UInt16 = 0, _ body: (inout AttributeWriter<Element>) -> Bool
  ) -> Bool {
    let ok = writer.withNest(type: index) { (inner: inout AttributeWriter<Element>) in body(&inner)
    }
    if ok { written += 1 }
    return ok
  }
}
