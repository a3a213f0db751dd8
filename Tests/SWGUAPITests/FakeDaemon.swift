import Foundation
import Glibc

/// A scratch directory under /tmp, removed with everything in it by `remove()`.
struct TempDir {
  let path: String

  init() throws {
    var template = Array("/tmp/swg-uapi-XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { buf -> Bool in
      guard let base = buf.baseAddress else { return false }
      return mkdtemp(base) != nil
    }
    guard made else { throw POSIXError(.EIO) }
    path = String(cString: template)
  }

  func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// A small UAPI server on a socket in a temp dir, run on its own thread: each accepted
/// connection goes to `handler`, and is closed when the handler returns.
final class FakeDaemon: @unchecked Sendable {
  let path: String
  let listenFD: Int32
  private let finished = DispatchSemaphore(value: 0)
  private let accepting: Bool

  /// `accepting: false` listens but never accepts (a daemon that hangs before accept).
  init(
    path: String, backlog: Int32 = 16, accepting: Bool = true,
    handler: @escaping @Sendable (Int32) -> Void = { _ in }
  ) throws {
    self.path = path
    self.accepting = accepting
    listenFD = try FakeDaemon.listeningSocket(path, backlog: backlog, listen: true)
    guard accepting else { return }
    let fd = listenFD
    let done = finished
    let thread = Thread {
      while true {
        let c = accept(fd, nil, nil)
        if c < 0 {
          if errno == EINTR { continue }
          break
        }
        handler(c)
        close(c)
      }
      done.signal()
    }
    thread.start()
  }

  /// Stops accepting, waits for the thread, and removes the socket file.
  func stop() {
    shutdown(listenFD, Int32(SHUT_RDWR))
    if accepting { finished.wait() }
    close(listenFD)
    unlink(path)
  }

  /// A socket bound at `path`; listening or not. Closing it leaves a stale socket file.
  static func listeningSocket(_ path: String, backlog: Int32 = 16, listen doListen: Bool) throws
    -> Int32
  {
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EIO) }
    var addr = sockaddr_un()
    addr.sun_family = sa_family_t(AF_UNIX)
    let bytes = Array(path.utf8)
    withUnsafeMutableBytes(of: &addr.sun_path) { raw in
      for (i, b) in bytes.enumerated() { raw[i] = b }
    }
    let rc = withUnsafePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
      }
    }
    guard rc == 0 else {
      close(fd)
      throw POSIXError(.EADDRINUSE)
    }
    if doListen { _ = listen(fd, backlog) }
    return fd
  }
}

// MARK: - Connection helpers for handlers

/// Reads until the request's closing blank line (`\n\n`), EOF, or `limit` bytes.
func readRequest(_ fd: Int32, limit: Int = 1 << 28) -> [UInt8] {
  var out: [UInt8] = []
  var buf = [UInt8](repeating: 0, count: 65536)
  while out.count < limit {
    let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
    if n <= 0 { break }
    out.append(contentsOf: buf[0..<n])
    if out.count >= 2 && out[out.count - 1] == 0x0a && out[out.count - 2] == 0x0a { break }
  }
  return out
}

/// Reads one line (through `\n`).
func readLine(_ fd: Int32) -> [UInt8] {
  var out: [UInt8] = []
  var b: UInt8 = 0
  while recv(fd, &b, 1, 0) == 1 {
    out.append(b)
    if b == 0x0a { break }
  }
  return out
}

func send(_ fd: Int32, _ text: String) {
  send(fd, Array(text.utf8))
}

func send(_ fd: Int32, _ bytes: [UInt8]) {
  var off = 0
  while off < bytes.count {
    let n = bytes[off...].withUnsafeBytes {
      Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
    }
    if n <= 0 { return }
    off += n
  }
}

/// Waits until the client closes its end (or `seconds` pass), reading and dropping input.
func waitForClientClose(_ fd: Int32, seconds: Double = 10) {
  let end = Date().addingTimeInterval(seconds)
  var buf = [UInt8](repeating: 0, count: 4096)
  while Date() < end {
    var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    if poll(&p, 1, 100) > 0 {
      let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
      if n <= 0 { return }
    }
  }
}

/// A value shared between a handler thread and the test.
final class Box<T>: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: T
  init(_ value: T) { stored = value }
  var value: T {
    get { lock.withLock { stored } }
    set { lock.withLock { stored = newValue } }
  }
}
