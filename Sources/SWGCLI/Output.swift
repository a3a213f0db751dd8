import Glibc
import SWGCore

/// Bytes on their way to a file descriptor.
///
/// Formatters append to it; when it is tied to a descriptor it writes itself out in big
/// chunks, so a 50,000-peer dump never sits whole in memory. With no descriptor
/// (`fd < 0`) everything stays in `bytes`, which is what unit tests read.
public struct Output {
  public var bytes: [UInt8] = []
  public let fd: Int32
  /// Set once a write fails (e.g. EPIPE); further output is dropped.
  public private(set) var failed = false

  static let chunk = 1 << 16

  public init(fd: Int32 = -1) {
    self.fd = fd
    bytes.reserveCapacity(fd < 0 ? 256 : Output.chunk + 4096)
  }

  /// The collected text (for tests and small messages).
  public var text: String { String(decoding: bytes, as: UTF8.self) }

  @inline(__always)
  public mutating func append(_ s: StaticString) {
    s.withUTF8Buffer { bytes.append(contentsOf: $0) }
  }

  /// Disfavoured, so a literal argument takes the StaticString overload (static bytes, no
  /// String to retain and release for every `\n` and `: ` of a 50,000-peer listing).
  @inline(__always) @_disfavoredOverload
  public mutating func append(_ s: String) {
    var s = s
    s.withUTF8 { bytes.append(contentsOf: $0) }
  }

  @inline(__always)
  public mutating func append(byte: UInt8) { bytes.append(byte) }

  public mutating func append<C: Collection>(contentsOf c: C) where C.Element == UInt8 {
    bytes.append(contentsOf: c)
  }

  /// Unsigned decimal, as printf's `%u`/`%llu`.
  public mutating func append(decimal value: UInt64) {
    if value < 10 {
      bytes.append(UInt8(truncatingIfNeeded: value) &+ 48)
      return
    }
    var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch, enough for 20 digits
    var n = value
    var count = 0
    withUnsafeMutableBytes(of: &digits) { raw in
      while n > 0 {
        raw[23 - count] = UInt8(truncatingIfNeeded: n % 10) &+ 48
        n /= 10
        count += 1
      }
      bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[(24 - count)...]))
    }
  }

  public mutating func append<T: BinaryInteger>(decimal value: T) {
    if value < 0 {
      bytes.append(UInt8(ascii: "-"))
      append(decimal: UInt64(clamping: value.magnitude))
    } else {
      append(decimal: UInt64(clamping: value))
    }
  }

  /// Lowercase hex without prefix, as printf's `%x`.
  public mutating func append(hex value: UInt32) {
    var started = false
    var shift: UInt32 = 28
    while true {
      let nibble = UInt8(truncatingIfNeeded: (value >> shift) & 15)
      if nibble != 0 || started || shift == 0 {
        started = true
        bytes.append(nibble < 10 ? nibble &+ 48 : nibble &+ 87)
      }
      if shift == 0 { break }
      shift -= 4
    }
  }

  /// Writes out what has collected once it is big enough (no-op without a descriptor).
  @inline(__always)
  public mutating func flushIfFull() {
    if fd >= 0 && bytes.count >= Output.chunk { flush() }
  }

  /// Writes everything collected to the descriptor, then zeroes it: the text may hold keys
  /// (showconf, genkey, `show private-key`), and the storage is reused.
  public mutating func flush() {
    guard fd >= 0, !bytes.isEmpty else { return }
    if !failed {
      failed = !Output.writeAll(fd, bytes)
    }
    wipe(&bytes)
    bytes.removeAll(keepingCapacity: true)
  }

  /// Writes all of `data` to `fd`, retrying on EINTR and short writes.
  @discardableResult
  public static func writeAll(_ fd: Int32, _ data: [UInt8]) -> Bool {
    data.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count {
        let n = write(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset)
        if n < 0 {
          if errno == EINTR { continue }
          return false
        }
        if n == 0 { return false }
        offset += n
      }
      return true
    }
  }
}
