/// A 32-byte WireGuard key: private, public or preshared.
///
/// `description` never shows the key, so a private key cannot reach a log or a
/// string interpolation by accident; call `base64` or `hex` when the text is wanted.
/// Swift may copy values freely, so key bytes cannot be reliably wiped after use.
public struct Key: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
  // Four words laid out in memory in byte order: withUnsafeBytes(of:) sees the 32 bytes.
  private var w0: UInt64 = 0
  private var w1: UInt64 = 0
  private var w2: UInt64 = 0
  private var w3: UInt64 = 0

  /// Length of a key in bytes.
  public static let length = 32

  /// The all-zero key, which the protocols read as "no key".
  public static let zero = Key()

  private init() {}

  /// A key from exactly 32 bytes; nil for any other length.
  public init?<C: Collection>(bytes: C) where C.Element == UInt8 {
    guard bytes.count == Key.length else { return nil }
    withUnsafeMutableBytes { out in
      for (i, b) in bytes.enumerated() { out[i] = b }
    }
  }

  /// A key from raw memory of exactly 32 bytes.
  public init?(rawBytes: UnsafeRawBufferPointer) {
    guard rawBytes.count == Key.length else { return nil }
    withUnsafeMutableBytes { $0.copyMemory(from: rawBytes) }
  }

  /// Decodes 44 characters of canonical base64 (in constant time).
  public init?<S: StringProtocol>(base64 text: S) {
    var key = Key()
    let ok = key.withUnsafeMutableBytes { ConstantTimeCoding.decodeBase64Key(text.utf8, into: $0) }
    guard ok else { return nil }
    self = key
  }

  /// Decodes 64 hex digits (in constant time), as the UAPI protocol sends them.
  public init?<S: StringProtocol>(hex text: S) {
    var key = Key()
    let ok = key.withUnsafeMutableBytes { ConstantTimeCoding.decodeHexKey(text.utf8, into: $0) }
    guard ok else { return nil }
    self = key
  }

  /// Decodes base64 from bytes (e.g. a slice of a file) without making a String.
  public init?<C: Collection>(base64Bytes text: C) where C.Element == UInt8 {
    var key = Key()
    let ok = key.withUnsafeMutableBytes { ConstantTimeCoding.decodeBase64Key(text, into: $0) }
    guard ok else { return nil }
    self = key
  }

  /// Decodes base64 from contiguous bytes: the non-generic entry config parsing calls per
  /// key (a generic one is not specialised across modules).
  public init?(base64Buffer text: UnsafeBufferPointer<UInt8>) {
    var key = Key()
    let ok = key.withUnsafeMutableBytes { ConstantTimeCoding.decodeBase64Key(text, into: $0) }
    guard ok else { return nil }
    self = key
  }

  /// Decodes hex from bytes without making a String.
  public init?<C: Collection>(hexBytes text: C) where C.Element == UInt8 {
    var key = Key()
    let ok = key.withUnsafeMutableBytes { ConstantTimeCoding.decodeHexKey(text, into: $0) }
    guard ok else { return nil }
    self = key
  }

  /// The key as 44 characters of base64 (wg's text form).
  public var base64: String { withUnsafeBytes { ConstantTimeCoding.encodeBase64Key($0) } }

  /// The key as 64 lowercase hex digits (the UAPI form).
  public var hex: String { withUnsafeBytes { ConstantTimeCoding.encodeHexKey($0) } }

  /// The 32 bytes, as an array.
  public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

  /// True when all 32 bytes are zero (checked without an early exit).
  public var isZero: Bool { (w0 | w1 | w2 | w3) == 0 }

  // Inlinable: callers in other modules run these per key, and an unspecialised generic
  // call with a closure context cost more than the work inside.
  @inlinable
  public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try Swift.withUnsafeBytes(of: self) { try body($0) }
  }

  @inlinable
  public mutating func withUnsafeMutableBytes<R>(
    _ body: (UnsafeMutableRawBufferPointer) throws -> R
  ) rethrows -> R {
    try Swift.withUnsafeMutableBytes(of: &self) { try body($0) }
  }

  public var description: String { "Key(redacted)" }
  public var debugDescription: String { "Key(redacted)" }

  /// Orders keys by their bytes, as memcmp does (wg sorts peers this way in syncconf).
  public static func byteOrder(_ a: Key, _ b: Key) -> Bool {
    if a.w0 != b.w0 { return a.w0.bigEndian < b.w0.bigEndian }
    if a.w1 != b.w1 { return a.w1.bigEndian < b.w1.bigEndian }
    if a.w2 != b.w2 { return a.w2.bigEndian < b.w2.bigEndian }
    return a.w3.bigEndian < b.w3.bigEndian
  }
}
