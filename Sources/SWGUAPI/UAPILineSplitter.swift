import Glibc
import SWGCore

/// Cuts a byte stream into `key=value` lines, holding at most one partial line.
///
/// wg reads replies with getline(3), which grows without bound; this keeps at most
/// `maxLineLength` bytes of a line and counts every byte against `maxTotalBytes`.
struct UAPILineSplitter {
  let maxLineLength: Int
  let maxTotalBytes: Int
  /// The start of a line whose end has not arrived yet.
  private var carry: [UInt8] = []
  private(set) var totalBytes = 0
  private(set) var lineNumber = 0

  /// An empty splitter to swap in while the real one is busy.
  static let placeholder = UAPILineSplitter(maxLineLength: 0, maxTotalBytes: 0)

  init(maxLineLength: Int, maxTotalBytes: Int) {
    self.maxLineLength = maxLineLength
    self.maxTotalBytes = maxTotalBytes
  }

  /// True when a partial line is waiting for its end.
  var hasPartialLine: Bool { !carry.isEmpty }

  /// Calls `body` with each complete line (without its `\n`) and its number, until `body` returns false.
  /// Returns the number of bytes consumed; bytes after the line that stopped it are left.
  mutating func feed(
    _ bytes: UnsafeRawBufferPointer,
    _ body: (UnsafeRawBufferPointer, Int) throws(UAPIReplyError) -> Bool
  ) throws(UAPIReplyError) -> Int {
    let count = bytes.count
    guard count > 0 else { return 0 }
    var start = 0
    while start < count {
      // Find the next newline in this chunk.
      let end: Int
      if let base = bytes.baseAddress, let nl = memchr(base + start, 0x0a, count - start) {
        end = UnsafeRawPointer(nl) - base
      } else {
        end = count
      }
      let lineBytes = end - start
      if end == count {
        // No newline: keep the rest, within the limits.
        guard carry.count + lineBytes <= maxLineLength else {
          throw .lineTooLong(line: lineNumber + 1)
        }
        try account(lineBytes)
        appendWipingOldStorage(&carry, UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
        return count
      }
      guard carry.count + lineBytes <= maxLineLength else {
        throw .lineTooLong(line: lineNumber + 1)
      }
      try account(lineBytes + 1)
      lineNumber += 1
      let more: Bool
      if carry.isEmpty {
        more = try body(UnsafeRawBufferPointer(rebasing: bytes[start..<end]), lineNumber)
      } else {
        appendWipingOldStorage(&carry, UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
        // Handed out in place, then zeroed: the line may be a private_key= one.
        let number = lineNumber
        var result: Result<Bool, UAPIReplyError> = .success(false)
        carry.withUnsafeBytes { raw in
          result = Result { () throws(UAPIReplyError) in try body(raw, number) }
        }
        wipe()
        more = try result.get()
      }
      start = end + 1
      if !more { return start }
    }
    return count
  }

  /// Zeroes and drops a partial line (a reply that ended or was refused mid-line).
  mutating func wipe() {
    SWGCore.wipe(&carry)
    carry.removeAll(keepingCapacity: true)
  }

  private mutating func account(_ n: Int) throws(UAPIReplyError) {
    totalBytes += n
    guard totalBytes <= maxTotalBytes else { throw .replyTooLong }
  }
}

/// One `key=value` line, split at its first `=`.
struct UAPILine {
  let key: UnsafeRawBufferPointer
  let value: UnsafeRawBufferPointer

  /// nil when the line has no `=`. NUL bytes are refused by the caller first.
  init?(_ line: UnsafeRawBufferPointer) {
    var i = 0
    let n = line.count
    while i < n && line[i] != UInt8(ascii: "=") { i += 1 }
    guard i < n else { return nil }
    key = UnsafeRawBufferPointer(rebasing: line[0..<i])
    value = UnsafeRawBufferPointer(rebasing: line[(i + 1)..<n])
  }

  static func containsNul(_ line: UnsafeRawBufferPointer) -> Bool {
    guard let base = line.baseAddress, line.count > 0 else { return false }
    return memchr(base, 0, line.count) != nil
  }
}

extension UnsafeRawBufferPointer {
  /// Byte-wise equality with an ASCII string, without making a String.
  @inline(__always)
  func equals(_ text: StaticString) -> Bool {
    guard count == text.utf8CodeUnitCount else { return false }
    guard count > 0, let base = baseAddress else { return true }
    return memcmp(base, text.utf8Start, count) == 0
  }
}
