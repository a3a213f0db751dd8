import Glibc
import SWGCore

/// WireGuard devices run by a userspace daemon (wireguard-go, boringtun), reached over
/// the cross-platform UAPI text protocol on `SOCKET_DIRECTORY/NAME.sock`.
///
/// Discovery is wg's: a name is a userspace interface when `NAME.sock` is a socket that
/// does not refuse a connection; a refused (stale) socket is unlinked; a name containing
/// `/` never is. One connection per operation, bounded in time per call (`timeout`, plus
/// `timeoutPerPeer` for each peer of a set) and per operation (`totalTimeout`), so a hung
/// daemon cannot hang the caller.
public struct UAPIBackend: WireGuardBackend {
  /// wg's `RUNSTATEDIR "/wireguard"`.
  public static let defaultSocketDirectory = "/var/run/wireguard"

  public var socketDirectory: String
  /// The longest wait for any one connect, send or receive.
  public var timeout: Duration
  /// Extra time per call for each peer in a set: wireguard-go stops reading while it
  /// replaces many peers (about 5 s for 50,000 on a loaded 2-core machine).
  public var timeoutPerPeer: Duration
  /// The longest one whole get or set may take (a 100k-peer set takes a few seconds).
  public var totalTimeout: Duration
  /// Bounds on a get reply.
  public var limits: UAPIGetParser.Limits

  public init(
    socketDirectory: String = UAPIBackend.defaultSocketDirectory,
    timeout: Duration = .seconds(5), timeoutPerPeer: Duration = .microseconds(200),
    totalTimeout: Duration = .seconds(600),
    limits: UAPIGetParser.Limits = .standard
  ) {
    self.socketDirectory = socketDirectory
    self.timeout = timeout
    self.timeoutPerPeer = timeoutPerPeer
    self.totalTimeout = totalTimeout
    self.limits = limits
  }

  // MARK: - Discovery

  /// `SOCKET_DIRECTORY/NAME.sock`; nil for a name containing `/` (never userspace).
  public func socketPath(for name: String) -> String? {
    guard !name.utf8.contains(UInt8(ascii: "/")) else { return nil }
    return socketDirectory + "/" + name + ".sock"
  }

  /// True when `name` is served by a userspace daemon, so the UAPI backend should be used
  /// for it rather than the kernel. Unlinks a stale socket (one that refuses connections),
  /// as wg does. Non-sockets and names containing `/` are never userspace.
  public func isUserspaceInterface(_ name: String) -> Bool {
    guard let path = socketPath(for: name) else { return false }
    switch UnixSocket.probe(path: path, timeout: timeout) {
    case .live: return true
    case .notSocket: return false
    case .stale:
      unlink(path)
      return false
    }
  }

  /// `isUserspaceInterface` with the default socket directory and timeouts.
  public static func isUserspaceInterface(_ name: String) -> Bool {
    UAPIBackend().isUserspaceInterface(name)
  }

  /// Names of the userspace interfaces, in readdir order: entries `NAME.sock` (with a
  /// non-empty NAME) that pass `isUserspaceInterface`. A missing directory is no
  /// interfaces; another opendir failure throws its errno.
  public func interfaceNames() throws(Errno) -> [String] {
    guard let dir = opendir(socketDirectory) else {
      let e = Errno.current
      if e.rawValue == ENOENT { return [] }
      throw e
    }
    defer { closedir(dir) }
    var names: [String] = []
    let suffix = Array(".sock".utf8)
    while let entry = readdir(dir) {
      let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw -> [UInt8] in
        Array(raw.prefix { $0 != 0 })
      }
      guard bytes.count > suffix.count, bytes.suffix(suffix.count).elementsEqual(suffix) else {
        continue
      }
      let name = String(decoding: bytes.dropLast(suffix.count), as: UTF8.self)
      if isUserspaceInterface(name) { names.append(name) }
    }
    return names
  }

  /// `interfaceNames` with the default socket directory and timeouts.
  public static func interfaceNames() throws(Errno) -> [String] {
    try UAPIBackend().interfaceNames()
  }

  // MARK: - WireGuardBackend

  public func deviceNames() throws -> [String] { try interfaceNames() }

  /// Sends `get=1` and parses the reply as it arrives.
  public func device(named name: String) throws -> Device {
    let s = try open(name)
    do {
      try Array("get=1\n\n".utf8).withUnsafeBytes { raw in try s.sendAll(raw) }
    } catch let error as Errno {
      // wg ignores write errors and reads whatever comes; a dead daemon then sends nothing.
      if error.rawValue == ETIMEDOUT {
        throw UAPIError(errno: error, socketPath: s.path, stage: .send)
      }
    }
    var parser = UAPIGetParser(interfaceName: name, limits: limits)
    defer { parser.wipeBuffers() }
    let end = read(from: s) { (chunk) throws(UAPIReplyError) -> Bool in try parser.feed(chunk) }
    switch end {
    case .complete:
      do {
        return try parser.finish()
      } catch {
        throw UAPIError(errno: error.errno, socketPath: s.path, stage: .receive, reply: error)
      }
    case .closed:
      throw UAPIError(
        errno: .protocolError, socketPath: s.path, stage: .receive, reply: .endedEarly)
    case .failed(let e):
      // wg's getline stops on any read error and reports EPROTO; a timeout is ours.
      let reported = e.rawValue == ETIMEDOUT ? e : .protocolError
      throw UAPIError(errno: reported, socketPath: s.path, stage: .receive, reply: .endedEarly)
    case .refused(let r):
      throw UAPIError(errno: r.errno, socketPath: s.path, stage: .receive, reply: r)
    }
  }

  /// Streams `change` as `set=1` and reads the daemon's `errno=` reply.
  public func apply(_ change: DeviceChange, to name: String) throws {
    let s = try open(name)
    if !change.peers.isEmpty {
      let extra = timeoutPerPeer * min(change.peers.count, 10_000_000)
      do {
        try s.setIOTimeout(timeout + extra)
      } catch {
        throw UAPIError(errno: error, socketPath: s.path, stage: .connect)
      }
    }
    var sendError: Errno?
    do {
      try UAPISetWriter.write(change) { chunk in try s.sendAll(chunk) }
    } catch let e as Errno {
      if e.rawValue == ETIMEDOUT { throw UAPIError(errno: e, socketPath: s.path, stage: .send) }
      // The daemon may have stopped reading to report an error: read what it said.
      sendError = e
    }
    var parser = UAPISetReplyParser()
    let end = read(from: s) { (chunk) throws(UAPIReplyError) -> Bool in try parser.feed(chunk) }
    var verdict: UAPIReplyError?
    if case .complete = end {
      do { try parser.finish() } catch { verdict = error }
    }
    if let sendError {
      // Only the daemon's own error explains a request it stopped reading.
      if let verdict, case .daemon = verdict {
        throw UAPIError(errno: verdict.errno, socketPath: s.path, stage: .receive, reply: verdict)
      }
      if case .failed(let e) = end, e.rawValue == ETIMEDOUT {
        throw UAPIError(errno: e, socketPath: s.path, stage: .receive)
      }
      throw UAPIError(errno: sendError, socketPath: s.path, stage: .send, reply: verdict)
    }
    switch end {
    case .complete:
      if let verdict {
        throw UAPIError(errno: verdict.errno, socketPath: s.path, stage: .receive, reply: verdict)
      }
    case .closed:
      throw UAPIError(
        errno: .protocolError, socketPath: s.path, stage: .receive, reply: .endedEarly)
    case .failed(let e):
      // wg reports the read's errno here (ECONNRESET, say).
      throw UAPIError(errno: e, socketPath: s.path, stage: .receive, reply: .endedEarly)
    case .refused(let r):
      throw UAPIError(errno: r.errno, socketPath: s.path, stage: .receive, reply: r)
    }
  }

  // MARK: - Plumbing

  /// wg's `userspace_interface_file`: EINVAL for a name with `/`, stat's errno, EBADF for
  /// a non-socket, connect's errno (unlinking a stale socket on ECONNREFUSED).
  private func open(_ name: String) throws(UAPIError) -> UnixSocket {
    guard let path = socketPath(for: name) else {
      throw UAPIError(
        errno: .invalidArgument, socketPath: socketDirectory + "/" + name + ".sock", stage: .connect
      )
    }
    var st = stat()
    guard stat(path, &st) == 0 else {
      throw UAPIError(errno: .current, socketPath: path, stage: .connect)
    }
    guard st.st_mode & S_IFMT == S_IFSOCK else {
      throw UAPIError(errno: Errno(EBADF), socketPath: path, stage: .connect)
    }
    do {
      return try UnixSocket.connect(path: path, ioTimeout: timeout, totalTimeout: totalTimeout)
    } catch {
      if error.rawValue == ECONNREFUSED { unlink(path) }
      throw UAPIError(errno: error, socketPath: path, stage: .connect)
    }
  }

  private enum ReadEnd {
    /// The reply's closing blank line arrived (or the parser refused it and said so).
    case complete
    /// The daemon closed the connection first.
    case closed
    case failed(Errno)
    case refused(UAPIReplyError)
  }

  /// Reads chunks into `take` until it says the reply is complete, or the peer closes.
  private func read(
    from s: UnixSocket, _ take: (UnsafeRawBufferPointer) throws(UAPIReplyError) -> Bool
  ) -> ReadEnd {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 8)
    // A get reply holds private_key= and preshared_key= hex: zero what was used.
    var used = 0
    defer {
      wipe(UnsafeMutableRawBufferPointer(rebasing: buffer[0..<used]))
      buffer.deallocate()
    }
    while true {
      let n: Int
      do {
        n = try s.receive(into: buffer)
      } catch {
        return .failed(error)
      }
      if n == 0 { return .closed }
      used = max(used, min(n, buffer.count))
      do {
        if try take(UnsafeRawBufferPointer(rebasing: buffer[0..<n])) { return .complete }
      } catch {
        // The parsers record a daemon's errno as an outcome: that reply is complete.
        if case .daemon = error { return .complete }
        return .refused(error)
      }
    }
  }
}
