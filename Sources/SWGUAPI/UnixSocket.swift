import Glibc
import SWGCore

/// A connected `AF_UNIX` stream socket whose every call is bounded in time.
///
/// Each send or receive waits at most `ioTimeout` (SO_SNDTIMEO/SO_RCVTIMEO, which also
/// bound a blocking connect), and no call starts after `deadline`. A hung peer gives
/// ETIMEDOUT, never a hang. Sends use MSG_NOSIGNAL: a dead peer is EPIPE, not SIGPIPE.
final class UnixSocket {
  let fd: Int32
  let path: String
  private let deadline: ContinuousClock.Instant

  private init(fd: Int32, path: String, deadline: ContinuousClock.Instant) {
    self.fd = fd
    self.path = path
    self.deadline = deadline
  }

  deinit { close(fd) }

  /// Connects to the socket at `path`. A full listen backlog that does not drain within
  /// `ioTimeout` is ETIMEDOUT.
  static func connect(
    path: String, ioTimeout: Duration, totalTimeout: Duration
  ) throws(Errno) -> UnixSocket {
    var addr = try socketAddress(path)
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw Errno.current }
    let s = UnixSocket(fd: fd, path: path, deadline: .now + totalTimeout)
    try s.setIOTimeout(ioTimeout)
    var interrupted = false
    while true {
      let rc = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
        }
      }
      if rc == 0 { return s }
      let e = Errno.current
      switch e.rawValue {
      case EINTR:
        interrupted = true
        try s.checkDeadline()
      // A retried connect that completed meanwhile says so.
      case EISCONN where interrupted: return s
      // A blocking AF_UNIX connect that timed out waiting for the backlog says EAGAIN.
      case EAGAIN: throw .timedOut
      default: throw e
      }
    }
  }

  /// Writes all of `bytes`, retrying short writes and EINTR.
  func sendAll(_ bytes: UnsafeRawBufferPointer) throws(Errno) {
    guard let base = bytes.baseAddress else { return }
    var offset = 0
    while offset < bytes.count {
      try checkDeadline()
      let n = send(fd, base + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
      if n < 0 {
        let e = Errno.current
        if e.rawValue == EINTR { continue }
        throw e.rawValue == EAGAIN || e.rawValue == EWOULDBLOCK ? .timedOut : e
      }
      offset += n
    }
  }

  /// Reads up to `buffer.count` bytes; 0 means the peer closed the connection.
  func receive(into buffer: UnsafeMutableRawBufferPointer) throws(Errno) -> Int {
    guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
    while true {
      try checkDeadline()
      let n = recv(fd, base, buffer.count, 0)
      if n >= 0 { return n }
      let e = Errno.current
      if e.rawValue == EINTR { continue }
      throw e.rawValue == EAGAIN || e.rawValue == EWOULDBLOCK ? .timedOut : e
    }
  }

  private func checkDeadline() throws(Errno) {
    guard ContinuousClock.now < deadline else { throw .timedOut }
  }

  /// Bounds each later send and receive by `d`.
  func setIOTimeout(_ d: Duration) throws(Errno) {
    try setTimeout(SO_SNDTIMEO, d)
    try setTimeout(SO_RCVTIMEO, d)
  }

  private func setTimeout(_ option: Int32, _ d: Duration) throws(Errno) {
    let (seconds, attoseconds) = d.components
    var tv = timeval(
      tv_sec: Int(max(seconds, 0)), tv_usec: Int(max(attoseconds, 0) / 1_000_000_000_000))
    // A zero timeval means "wait forever": round tiny timeouts up.
    if tv.tv_sec == 0 && tv.tv_usec == 0 { tv.tv_usec = 1 }
    guard setsockopt(fd, SOL_SOCKET, option, &tv, socklen_t(MemoryLayout<timeval>.size)) == 0 else {
      throw Errno.current
    }
  }

  /// `sockaddr_un` for `path`; ENAMETOOLONG when it does not fit with its NUL.
  static func socketAddress(_ path: String) throws(Errno) -> sockaddr_un {
    var addr = sockaddr_un()
    addr.sun_family = sa_family_t(AF_UNIX)
    let bytes = Array(path.utf8)
    let capacity = MemoryLayout.size(ofValue: addr.sun_path)
    guard bytes.count < capacity, !bytes.contains(0) else { throw .nameTooLong }
    withUnsafeMutableBytes(of: &addr.sun_path) { raw in
      for (i, b) in bytes.enumerated() { raw[i] = b }
      raw[bytes.count] = 0
    }
    return addr
  }
}

/// What a `stat` of a would-be socket path found.
enum SocketProbe: Equatable {
  /// Nothing there, or not a socket: not a userspace interface.
  case notSocket
  /// A socket nobody listens on (ECONNREFUSED).
  case stale
  /// Connected, or failed for another reason (EACCES, a full backlog): wg counts these
  /// as userspace interfaces, and the real operation reports the error.
  case live
}

extension UnixSocket {
  /// wg's `userspace_has_wgdevice_interface` check, without unlinking.
  static func probe(path: String, timeout: Duration) -> SocketProbe {
    var st = stat()
    guard stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFSOCK else { return .notSocket }
    do {
      _ = try connect(path: path, ioTimeout: timeout, totalTimeout: timeout)
      return .live
    } catch {
      if error.rawValue == ENAMETOOLONG { return .notSocket }
      return error.rawValue == ECONNREFUSED ? .stale : .live
    }
  }
}
