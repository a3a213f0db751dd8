import Foundation
import Glibc
import SWGCore
import Testing

@testable import SWGUAPI

/// The backend against small servers in a temp dir: discovery, errors, timeouts.
@Suite struct UAPIBackendFakeDaemonTests {
  /// Runs `body` with a backend on a fresh temp dir, then removes the dir.
  func withDir(
    timeout: Duration = .seconds(2), totalTimeout: Duration = .seconds(20),
    _ body: (UAPIBackend, String) throws -> Void
  ) throws {
    let dir = try TempDir()
    defer { dir.remove() }
    try body(
      UAPIBackend(socketDirectory: dir.path, timeout: timeout, totalTimeout: totalTimeout), dir.path
    )
  }

  /// An error from `body`, as UAPIError.
  func uapiError(_ body: () throws -> Void) -> UAPIError? {
    do {
      try body()
      return nil
    } catch let e as UAPIError {
      return e
    } catch {
      Issue.record("not a UAPIError: \(error)")
      return nil
    }
  }

  func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

  // MARK: Discovery

  @Test func discoveryFollowsWg() throws {
    try withDir { backend, dir in
      let good = try FakeDaemon(path: dir + "/good.sock")
      defer { good.stop() }
      let staleFD = try FakeDaemon.listeningSocket(dir + "/stale.sock", listen: true)
      close(staleFD)  // the file stays; connecting is refused
      #expect(FileManager.default.createFile(atPath: dir + "/file.sock", contents: Data("x".utf8)))
      try FileManager.default.createDirectory(
        atPath: dir + "/dir.sock", withIntermediateDirectories: false)
      let emptyName = try FakeDaemon(path: dir + "/.sock")
      defer { emptyName.stop() }
      let otherSuffix = try FakeDaemon(path: dir + "/other.socket")
      defer { otherSuffix.stop() }

      #expect(exists(dir + "/stale.sock"))
      #expect(try backend.interfaceNames() == ["good"])
      // wg unlinks a stale socket when it meets one.
      #expect(!exists(dir + "/stale.sock"))
      #expect(backend.isUserspaceInterface("good"))
      #expect(!backend.isUserspaceInterface("file"))
      #expect(!backend.isUserspaceInterface("dir"))
      #expect(!backend.isUserspaceInterface("missing"))
      #expect(!backend.isUserspaceInterface("other"))
      #expect(try backend.deviceNames() == ["good"])
    }
  }

  @Test func namesWithSlashAreNeverUserspace() throws {
    try withDir { backend, dir in
      try FileManager.default.createDirectory(
        atPath: dir + "/sub", withIntermediateDirectories: false)
      let d = try FakeDaemon(path: dir + "/sub/x.sock")
      defer { d.stop() }
      #expect(!backend.isUserspaceInterface("sub/x"))
      #expect(backend.socketPath(for: "sub/x") == nil)
      #expect(uapiError { _ = try backend.device(named: "sub/x") }?.errno == .invalidArgument)
    }
  }

  @Test func staleSocketIsUnlinkedByProbeAndByUse() throws {
    try withDir { backend, dir in
      close(try FakeDaemon.listeningSocket(dir + "/s1.sock", listen: false))
      #expect(!backend.isUserspaceInterface("s1"))
      #expect(!exists(dir + "/s1.sock"))
      close(try FakeDaemon.listeningSocket(dir + "/s2.sock", listen: true))
      let e = uapiError { _ = try backend.device(named: "s2") }
      #expect(e?.errno == Errno(ECONNREFUSED))
      #expect(e?.stage == .connect)
      #expect(!exists(dir + "/s2.sock"))
    }
  }

  @Test func missingOrOddSocketDirectories() throws {
    #expect(try UAPIBackend(socketDirectory: "/nonexistent/swg-test").interfaceNames() == [])
    try withDir { _, dir in
      #expect(FileManager.default.createFile(atPath: dir + "/f", contents: nil))
      #expect(throws: Errno(ENOTDIR)) {
        try UAPIBackend(socketDirectory: dir + "/f").interfaceNames()
      }
    }
  }

  @Test func openErrorsMatchWg() throws {
    try withDir { backend, dir in
      #expect(FileManager.default.createFile(atPath: dir + "/file.sock", contents: nil))
      #expect(uapiError { _ = try backend.device(named: "file") }?.errno == Errno(EBADF))
      #expect(uapiError { _ = try backend.device(named: "missing") }?.errno == Errno(ENOENT))
      let e = uapiError { try backend.apply(DeviceChange(), to: "missing") }
      #expect(e?.errno.description == "No such file or directory")
      #expect(e?.socketPath == dir + "/missing.sock")
    }
  }

  @Test func socketPathTooLongIsNotUserspace() throws {
    let backend = UAPIBackend(socketDirectory: "/tmp/" + String(repeating: "d", count: 120))
    #expect(!backend.isUserspaceInterface("wg0"))
  }

  // MARK: get and set over a socket

  @Test func getOverSocket() throws {
    try withDir { backend, dir in
      let request = Box<[UInt8]>([])
      let daemon = try FakeDaemon(path: dir + "/wg0.sock") { fd in
        request.value = readRequest(fd)
        // Send in odd pieces, as a socket may deliver them.
        let reply = bytes(goldenReply)
        var i = 0
        while i < reply.count {
          let j = min(reply.count, i + 37)
          send(fd, Array(reply[i..<j]))
          i = j
        }
      }
      defer { daemon.stop() }
      let d = try backend.device(named: "wg0")
      #expect(d == (try goldenDevice()))
      #expect(request.value == bytes("get=1\n\n"))
    }
  }

  @Test func setOverSocket() throws {
    try withDir { backend, dir in
      let request = Box<[UInt8]>([])
      let daemon = try FakeDaemon(path: dir + "/wg0.sock") { fd in
        request.value = readRequest(fd)
        send(fd, "errno=0\n\n")
      }
      defer { daemon.stop() }
      let change = DeviceChange(
        privateKey: key(privHex), listenPort: 1, replacePeers: true,
        peers: [PeerChange(publicKey: key(peer1Hex), persistentKeepalive: 5)])
      try backend.apply(change, to: "wg0")
      #expect(request.value == UAPISetWriter.request(for: change))
    }
  }

  /// (reply, errno wg reports, its text) for get.
  @Test(arguments: [
    ("errno=22\n\n", EINVAL, "Invalid argument"),  // boringtun's sign: wg reports it
    ("errno=-22\n\n", EPROTO, "Protocol error"),  // wireguard-go's sign: wg's get refuses it
    ("listen_port=1\n", EPROTO, "Protocol error"),  // closed early
    ("", EPROTO, "Protocol error"),  // closed at once
    ("listen_port 1\nerrno=0\n\n", EPROTO, "Protocol error"),
    ("public_key=zz\nerrno=0\n\n", EPROTO, "Protocol error"),
    ("public_key=\(peer1Hex)\nendpoint=host:1\nerrno=0\n\n", ENETUNREACH, "Network is unreachable"),
  ])
  func getErrors(reply: String, errno: Int32, message: String) throws {
    try withDir { backend, dir in
      let daemon = try FakeDaemon(path: dir + "/wg0.sock") { fd in
        _ = readRequest(fd)
        send(fd, reply)
      }
      defer { daemon.stop() }
      let e = uapiError { _ = try backend.device(named: "wg0") }
      #expect(e?.errno == Errno(errno))
      #expect(e?.description == message)
    }
  }

  @Test(arguments: [
    ("errno=-22\n\n", EINVAL, "Invalid argument"),  // wireguard-go
    ("errno=22\n\n", -22, "Unknown error -22"),  // boringtun, as wg misreads it
    ("errno=-98\n\n", EADDRINUSE, "Address already in use"),
    ("errno=-5\n\n", EIO, "Input/output error"),
    ("\n", EPROTO, "Protocol error"),
    ("errno=0\n", EPROTO, "Protocol error"),
    ("errno=x\n\n", EPROTO, "Protocol error"),
    ("", EPROTO, "Protocol error"),
  ])
  func setErrors(reply: String, errno: Int32, message: String) throws {
    try withDir { backend, dir in
      let daemon = try FakeDaemon(path: dir + "/wg0.sock") { fd in
        _ = readRequest(fd)
        send(fd, reply)
      }
      defer { daemon.stop() }
      let e = uapiError { try backend.apply(DeviceChange(listenPort: 1), to: "wg0") }
      #expect(e?.errno == Errno(errno))
      #expect(e?.description == message)
    }
  }

  // MARK: Daemons that hang or die

  @Test func getReplyThatNeverEndsTimesOut() throws {
    try withDir(timeout: .milliseconds(300)) { backend, dir in
      let daemon = try FakeDaemon(path: dir + "/wg0.sock") { fd in
        _ = readRequest(fd)
        send(fd, "listen_port=1\n")
        waitForClientClose(fd)
      }
      defer { daemon.stop() }
      let start = ContinuousClock.now
      let e = uapiError { _ = try backend.device(named: "wg0") }
      let took = ContinuousClock.now - start
      #expect(e?.errno == .timedOut)
      #expect(e?.description == "Connection timed out (\(dir)/wg0.sock)")
      #expect(took < .seconds(3))
    }
  }

  @Test func setReplyThatNeverComesTimesOut() throws {
    try withDir(timeout: .milliseconds(300)) { backend, dir in
      let daemon = try FakeDaemon(path: dir + "/wg0.sock") { fd in
        _ = readRequest(fd)
        waitForClientClose(fd)
      }
      defer { daemon.stop() }
      let e = uapiError { try backend.apply(DeviceChange(fwmark: 1), to: "wg0") }
      #expect(e?.errno == .timedOut)
      #expect(e?.stage == .receive)
    }
  }

  /// A daemon busy with a big set (not reading for a while) is given more time per peer.
  @Test func bigSetsGetMoreTimePerCall() throws {
    let dir = try TempDir()
    defer { dir.remove() }
    let daemon = try FakeDaemon(path: dir.path + "/wg0.sock") { fd in
      _ = readLine(fd)
      usleep(800_000)  // "replacing peers"
      _ = readRequest(fd)
      send(fd, "errno=0\n\n")
    }
    defer { daemon.stop() }
    let change = bigChange(peers: 20_000)
    let strict = UAPIBackend(
      socketDirectory: dir.path, timeout: .milliseconds(300), timeoutPerPeer: .zero)
    #expect(uapiError { try strict.apply(change, to: "wg0") }?.errno == .timedOut)
    let patient = UAPIBackend(
      socketDirectory: dir.path, timeout: .milliseconds(300), timeoutPerPeer: .microseconds(100))
    #expect(throws: Never.self) { try patient.apply(change, to: "wg0") }
  }

  @Test func dripFedReplyHitsTheTotalTimeout() throws {
    try withDir(timeout: .seconds(1), totalTimeout: .milliseconds(800)) { backend, dir in
      let daemon = try FakeDaemon(path: dir + "/wg0.sock") { fd in
        _ = readRequest(fd)
        // One short line every 50 ms: each read succeeds, the whole never ends.
        for _ in 0..<200 {
          send(fd, "x=1\n")
          var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
          if poll(&p, 1, 50) > 0 { return }  // the client gave up
        }
      }
      defer { daemon.stop() }
      let start = ContinuousClock.now
      let e = uapiError { _ = try backend.device(named: "wg0") }
      #expect(e?.errno == .timedOut)
      #expect(ContinuousClock.now - start < .seconds(3))
    }
  }

  @Test func daemonThatNeverAcceptsTimesOutOnConnect() throws {
    try withDir(timeout: .milliseconds(300)) { backend, dir in
      let daemon = try FakeDaemon(path: dir + "/wg0.sock", backlog: 0, accepting: false)
      defer { daemon.stop() }
      // Fill the backlog with one connection nobody accepts.
      let filler = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
      defer { close(filler) }
      var addr = try UnixSocket.socketAddress(daemon.path)
      _ = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          connect(filler, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
        }
      }
      // wg would count it as userspace (the connect did not say ECONNREFUSED).
      #expect(backend.isUserspaceInterface("wg0"))
      let start = ContinuousClock.now
      let e = uapiError { _ = try backend.device(named: "wg0") }
      #expect(e?.errno == .timedOut)
      #expect(e?.stage == .connect)
      #expect(ContinuousClock.now - start < .seconds(3))
    }
  }

  /// A large set that the daemon stops reading, answering errno=-22 as wireguard-go does
  /// on a bad line: we must report its error, not the broken pipe.
  @Test func daemonRefusingMidRequestIsHeard() throws {
    try withDir { backend, dir in
      let daemon = try FakeDaemon(path: dir + "/wg0.sock") { fd in
        _ = readLine(fd)
        send(fd, "errno=-22\n\n")
        shutdown(fd, Int32(SHUT_WR))
        waitForClientClose(fd, seconds: 5)
      }
      defer { daemon.stop() }
      let e = uapiError { try backend.apply(bigChange(peers: 100_000), to: "wg0") }
      #expect(e?.errno == .invalidArgument)
    }
  }

  /// The daemon dies after reading one line of a large set: broken pipe, no SIGPIPE.
  @Test func daemonDyingMidRequest() throws {
    try withDir { backend, dir in
      let daemon = try FakeDaemon(path: dir + "/wg0.sock") { fd in
        _ = readLine(fd)
      }
      defer { daemon.stop() }
      let e = uapiError { try backend.apply(bigChange(peers: 100_000), to: "wg0") }
      #expect(e?.errno == Errno(EPIPE))
      #expect(e?.stage == .send)
    }
  }

  /// The daemon dies halfway through a get reply.
  @Test func daemonDyingMidReply() throws {
    try withDir { backend, dir in
      let daemon = try FakeDaemon(path: dir + "/wg0.sock") { fd in
        _ = readRequest(fd)
        let reply = bytes(goldenReply)
        send(fd, Array(reply[..<(reply.count / 2)]))
      }
      defer { daemon.stop() }
      let e = uapiError { _ = try backend.device(named: "wg0") }
      #expect(e?.errno == .protocolError)
      #expect(e?.reply == .endedEarly)
    }
  }

  @Test func permissionErrorsNameTheSocket() {
    let e = UAPIError(
      errno: .permissionDenied, socketPath: "/var/run/wireguard/wg0.sock", stage: .connect)
    #expect(e.description == "Permission denied (/var/run/wireguard/wg0.sock)")
    #expect(e.errno.description == "Permission denied")
    let p = UAPIError(
      errno: .protocolError, socketPath: "/x.sock", stage: .receive, reply: .missingErrno)
    #expect(p.description == "Protocol error")
    #expect(p.detailedDescription.contains("/x.sock"))
  }
}

/// A change with `peers` peers, each with an endpoint and two allowed IPs.
func bigChange(peers count: Int, seed: UInt64 = 1) -> DeviceChange {
  var rng = SplitMix64(seed: seed)
  var peers: [PeerChange] = []
  peers.reserveCapacity(count)
  for i in 0..<count {
    var k = Key.zero
    k.withUnsafeMutableBytes { raw in
      for j in stride(from: 0, to: 32, by: 8) {
        raw.storeBytes(of: rng.next(), toByteOffset: j, as: UInt64.self)
      }
    }
    let v4 = AllowedIP(address: .v4(IPv4Address(0x0a00_0000 | UInt32(i))), cidr: 32)
    let v6 = AllowedIP(
      address: .v6(IPv6Address(high: 0xfd00_0000_0000_0000, low: UInt64(i))), cidr: 128)
    peers.append(
      PeerChange(
        publicKey: k,
        endpoint: .v4(IPv4Address(0x7f00_0001), port: UInt16(truncatingIfNeeded: 1024 + i)),
        allowedIPs: [v4, v6].compactMap { $0 }.map { AllowedIPChange($0) }))
  }
  return DeviceChange(
    privateKey: Key.generatePrivate(), listenPort: 0, replacePeers: true, peers: peers)
}
