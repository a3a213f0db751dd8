import Glibc

/// wg-quick's stderr: `[#] command` before every step, `PROGRAM: message` for errors.
/// Lines are collected and written in large blocks, so 10,000 route lines cost a few writes.
public final class Trace: @unchecked Sendable {
  private var pending: [UInt8] = []
  private let fd: Int32
  /// False silences the `[#]` lines (unit tests); errors still print.
  public var enabled: Bool

  public init(fd: Int32 = STDERR_FILENO, enabled: Bool = true) {
    self.fd = fd
    self.enabled = enabled
  }

  /// `[#] TEXT`
  public func command(_ text: String) {
    guard enabled else { return }
    line("[#] " + text)
  }

  /// Any line, as is.
  public func line(_ text: String) {
    pending += text.utf8
    pending.append(10)
    if pending.count >= 1 << 16 { flush() }
  }

  /// Writes what is pending; done before every child process and at exit, so the order
  /// of our lines and a child's own output is kept.
  public func flush() {
    var offset = 0
    while offset < pending.count {
      let n = pending[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else { break }
      offset += n
    }
    pending.removeAll(keepingCapacity: true)
  }
}
