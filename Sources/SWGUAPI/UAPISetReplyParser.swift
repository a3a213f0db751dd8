import Glibc
import SWGCore

/// Reads a daemon's reply to `set=1`: `errno=N` lines, then a blank line.
///
/// wg's sign rule (`userspace_set_device`) is kept: it negates the number it reads, so
/// wireguard-go's `errno=-22` reports EINVAL ("Invalid argument"), while boringtun's
/// `errno=22` reports errno -22 ("Unknown error -22"). Other keys are ignored.
public struct UAPISetReplyParser {
  private var lines: UAPILineSplitter
  /// The last `errno=` value, as sent.
  private var sent: Int32?
  private var outcome: Result<Void, UAPIReplyError>?

  public init(maxLineLength: Int = 4096, maxTotalBytes: Int = 1 << 16) {
    lines = UAPILineSplitter(maxLineLength: maxLineLength, maxTotalBytes: maxTotalBytes)
  }

  public var isComplete: Bool { outcome != nil }

  /// Feeds the next bytes. Returns true once the reply is complete.
  @discardableResult
  public mutating func feed(_ bytes: UnsafeRawBufferPointer) throws(UAPIReplyError) -> Bool {
    if let outcome {
      if case .failure(let e) = outcome { throw e }
      return true
    }
    // The splitter is moved out while its callback edits the rest of self.
    var splitter = UAPILineSplitter.placeholder
    swap(&splitter, &lines)
    defer { swap(&splitter, &lines) }
    do {
      _ = try splitter.feed(bytes) { (line, n) throws(UAPIReplyError) -> Bool in
        try self.take(line, n)
      }
    } catch {
      outcome = .failure(error)
      throw error
    }
    return outcome != nil
  }

  @discardableResult
  public mutating func feed(_ bytes: [UInt8]) throws(UAPIReplyError) -> Bool {
    var result: Result<Bool, UAPIReplyError> = .success(false)
    bytes.withUnsafeBytes { raw in result = Result { () throws(UAPIReplyError) in try feed(raw) } }
    return try result.get()
  }

  /// Succeeds when the daemon reported `errno=0`; throws what wg would report otherwise.
  public mutating func finish() throws(UAPIReplyError) {
    switch outcome {
    case .success: return
    case .failure(let e): throw e
    case nil:
      outcome = .failure(.endedEarly)
      throw .endedEarly
    }
  }

  /// Parses a whole reply at once.
  public static func parse(_ reply: [UInt8]) throws(UAPIReplyError) {
    var parser = UAPISetReplyParser()
    try parser.feed(reply)
    try parser.finish()
  }

  private mutating func take(_ line: UnsafeRawBufferPointer, _ n: Int) throws(UAPIReplyError)
    -> Bool
  {
    if line.isEmpty {
      guard let sent else { throw .missingErrno }
      guard sent == 0 else {
        // wg: errno = -(value sent); the wrapping matches C for INT_MIN.
        let e = UAPIReplyError.daemon(Errno(0 &- sent))
        outcome = .failure(e)
        throw e
      }
      outcome = .success(())
      return false
    }
    guard !UAPILine.containsNul(line) else { throw .nulByte(line: n) }
    guard let kv = UAPILine(line) else { throw .missingEquals(line: n) }
    if kv.key.equals("errno") {
      guard let v = UAPIValue.signed32(kv.value) else { throw .badValue(key: "errno", line: n) }
      sent = v
    }
    return true
  }
}
