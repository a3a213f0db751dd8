import Foundation
import Glibc
import SWGCore
import Testing

@testable import SWGUAPI

/// The backend against a real wireguard-go, each test in a fresh network namespace, with
/// the real wg(8) reading back the same daemon. Needs root, wireguard-go, ip and wg.
@Suite(.serialized, .enabled(if: Live.available, Comment(rawValue: Live.skipReason ?? "")))
struct UAPILiveTests {
  let backend = UAPIBackend()

  func showconf(_ name: String) throws -> Conf {
    let r = try run("wg", ["showconf", name])
    guard r.status == 0 else { throw LiveError("wg showconf: \(r.stderr)") }
    return try Conf(showconf: r.stdout)
  }

  @Test(arguments: [0, 1, 5000])
  func roundTrips(peers: Int) throws {
    let wggo = try WireGuardGo("r\(peers)")
    defer { wggo.stop() }
    let name = wggo.name
    #expect(backend.isUserspaceInterface(name))
    #expect(try backend.interfaceNames().contains(name))

    // A fresh daemon: no key, no peers.
    let empty = try backend.device(named: name)
    #expect(empty.name == name && empty.privateKey == nil && empty.peers.isEmpty)

    // swg sets, wg reads back.
    let a = randomState(peers: peers, seed: UInt64(peers) + 1, port: 40001, fwmark: 0x1234)
    var t0 = ContinuousClock.now
    try backend.apply(a, to: name)
    let swgSet = ContinuousClock.now - t0
    let wgSaw = try showconf(name)
    #expect(wgSaw.sorted == Conf(replacing: a).sorted)

    // swg reads what it set, and exactly what wg reads from the same daemon.
    t0 = ContinuousClock.now
    let got = try backend.device(named: name)
    let swgGet = ContinuousClock.now - t0
    #expect(Conf(got) == wgSaw)
    #expect(got.peers.count == peers)
    #expect(got.publicKey == a.privateKey?.publicKey)
    #expect(got.peers.allSatisfy { $0.protocolVersion == 1 })

    // wg sets, swg reads back.
    let b = randomState(peers: peers, seed: UInt64(peers) + 100, port: 40002, fwmark: 0)
    let dir = try TempDir()
    defer { dir.remove() }
    let file = dir.path + "/b.conf"
    try configFile(b).write(toFile: file, atomically: false, encoding: .utf8)
    let wgSet = try run("wg", ["setconf", name, file])
    #expect(wgSet.status == 0, "\(wgSet.stderr)")
    let gotB = try backend.device(named: name)
    #expect(Conf(gotB).sorted == Conf(replacing: b).sorted)
    let wgShow = try run("wg", ["showconf", name])
    #expect(Conf(gotB) == (try Conf(showconf: wgShow.stdout)))

    if peers >= 1000 {
      print(
        "UAPI timing, \(peers) peers on wireguard-go: swg get \(ms(swgGet)) ms vs `wg showconf` "
          + "\(Int(wgShow.seconds * 1000)) ms; swg set \(ms(swgSet)) ms vs `wg setconf` \(Int(wgSet.seconds * 1000)) ms"
      )
    }
  }

  @Test func incrementalChanges() throws {
    let wggo = try WireGuardGo("i")
    defer { wggo.stop() }
    let name = wggo.name
    let base = randomState(peers: 3, seed: 7, port: 40003, fwmark: 5)
    try backend.apply(base, to: name)
    let p0 = base.peers[0]
    let p1 = base.peers[1]
    let p2 = base.peers[2]
    let extra = AllowedIP(address: .v6(IPv6Address(high: 0x2001_0db8_0000_0000, low: 0)), cidr: 32)
    let fresh = randomState(peers: 1, seed: 99, port: 1, fwmark: 0).peers[0].publicKey

    try backend.apply(
      DeviceChange(
        listenPort: 40004, fwmark: 0,
        peers: [
          PeerChange(publicKey: p0.publicKey, remove: true),
          PeerChange(
            publicKey: p1.publicKey, presharedKey: .zero, persistentKeepalive: 7,
            replaceAllowedIPs: true,
            allowedIPs: [extra].compactMap { $0 }.map { AllowedIPChange($0) }),
          PeerChange(publicKey: p2.publicKey, endpoint: .v4(IPv4Address(0x7f00_0001), port: 9)),
          // update_only never creates a peer.
          PeerChange(publicKey: fresh, updateOnly: true, persistentKeepalive: 1),
        ]), to: name)

    var want = Conf(replacing: base)
    want.listenPort = 40004
    want.fwmark = 0
    want.peers[p0.publicKey.base64] = nil
    want.peers[p1.publicKey.base64]?.presharedKey = nil
    want.peers[p1.publicKey.base64]?.keepalive = 7
    want.peers[p1.publicKey.base64]?.allowedIPs = ["2001:db8::/32"]
    want.peers[p2.publicKey.base64]?.endpoint = "127.0.0.1:9"
    let wgSaw = try showconf(name)
    #expect(wgSaw.sorted == want.sorted)
    #expect(Conf(try backend.device(named: name)) == wgSaw)

    // Removing the private key.
    try backend.apply(DeviceChange(privateKey: .zero), to: name)
    #expect(try showconf(name).privateKey == nil)
    #expect(try backend.device(named: name).privateKey == nil)
  }

  /// wireguard-go before 2025-05 refuses `allowed_ip=-…` with -EINVAL; newer ones remove
  /// the prefix. Either way the caller must hear what happened.
  @Test func daemonErrorsReachTheCaller() throws {
    let wggo = try WireGuardGo("e")
    defer { wggo.stop() }
    let peer = randomState(peers: 1, seed: 3, port: 1, fwmark: 0).peers[0].publicKey
    let wide = try #require(AllowedIP(address: .v4(IPv4Address(0x0a00_0000)), cidr: 8))
    let narrow = try #require(AllowedIP(address: .v4(IPv4Address(0x0b01_0000)), cidr: 16))
    try backend.apply(
      DeviceChange(peers: [
        PeerChange(publicKey: peer, allowedIPs: [AllowedIPChange(wide), AllowedIPChange(narrow)])
      ]),
      to: wggo.name)
    #expect(
      try showconf(wggo.name).peers[peer.base64]?.allowedIPs.sorted() == [
        "10.0.0.0/8", "11.1.0.0/16",
      ])
    do {
      try backend.apply(
        DeviceChange(peers: [
          PeerChange(publicKey: peer, allowedIPs: [AllowedIPChange(wide, remove: true)])
        ]),
        to: wggo.name)
      #expect(try showconf(wggo.name).peers[peer.base64]?.allowedIPs == ["11.1.0.0/16"])
    } catch let e as UAPIError {
      #expect(e.errno == .invalidArgument)
      #expect(e.description == "Invalid argument")
      #expect(e.reply == .daemon(.invalidArgument))
    }
  }

  @Test func staleSocketOfAKilledDaemon() throws {
    // Anything listing interfaces meanwhile (wg show, other tests) unlinks stale sockets
    // in /var/run/wireguard, so the dead daemon's socket is moved to a private directory
    // at once; a retry covers losing that race.
    let dir = try TempDir()
    defer { dir.remove() }
    var captured: String?
    for attempt in 0..<3 where captured == nil {
      let wggo = try WireGuardGo("s\(attempt)")
      defer { wggo.stop() }
      wggo.signal(SIGKILL)
      wggo.process.waitUntilExit()
      if rename(wggo.socketPath, dir.path + "/\(wggo.name).sock") == 0 { captured = wggo.name }
    }
    let name = try #require(captured, "the killed daemon's socket vanished three times")
    let path = dir.path + "/\(name).sock"
    var st = stat()
    #expect(stat(path, &st) == 0 && st.st_mode & S_IFMT == S_IFSOCK)
    let local = UAPIBackend(socketDirectory: dir.path)
    #expect(try local.interfaceNames() == [])
    // wg unlinks a stale socket when it meets one.
    #expect(access(path, F_OK) != 0)
    #expect(!local.isUserspaceInterface(name))
    // wg now falls back to the kernel, which has no such device.
    let wg = try run("wg", ["show", name])
    #expect(wg.status == 1)
  }

  @Test func hungDaemonTimesOut() throws {
    let wggo = try WireGuardGo("h")
    defer { wggo.stop() }
    try wggo.pause()
    let quick = UAPIBackend(timeout: .milliseconds(500))
    let start = ContinuousClock.now
    do {
      _ = try quick.device(named: wggo.name)
      Issue.record("a stopped daemon answered (state \(wggo.state.map(String.init) ?? "?"))")
    } catch let e as UAPIError {
      #expect(e.errno == .timedOut)
      #expect(e.description.contains(wggo.socketPath))
    }
    #expect(ContinuousClock.now - start < .seconds(5))
    wggo.signal(SIGCONT)
    // And it still works once the daemon runs again.
    #expect(try backend.device(named: wggo.name).name == wggo.name)
  }

  @Test func daemonKilledMidSet() throws {
    let wggo = try WireGuardGo("k")
    defer { wggo.stop() }
    try wggo.pause()
    let change = bigChange(peers: 20_000)
    let outcome = Box<Result<Void, UAPIError>?>(nil)
    let finished = DispatchSemaphore(value: 0)
    let name = wggo.name
    let thread = Thread {
      do {
        try UAPIBackend().apply(change, to: name)
        outcome.value = .success(())
      } catch let e as UAPIError {
        outcome.value = .failure(e)
      } catch {
        outcome.value = .failure(UAPIError(errno: Errno(-1), socketPath: "", stage: .send))
      }
      finished.signal()
    }
    thread.start()
    usleep(300_000)
    let killedAt = ContinuousClock.now
    wggo.signal(SIGKILL)
    // The backend must notice promptly, far inside its 10 s timeout.
    #expect(finished.wait(timeout: .now() + 5) == .success)
    #expect(ContinuousClock.now - killedAt < .seconds(5))
    switch outcome.value {
    case .failure(let e)?:
      #expect([EPIPE, ECONNRESET, EPROTO].contains(e.errno.rawValue), "\(e.detailedDescription)")
    case .success?: Issue.record("a set to a killed daemon succeeded")
    case nil: Issue.record("the set did not finish")
    }
  }

  @Test func daemonKilledMidGet() throws {
    let wggo = try WireGuardGo("g")
    defer { wggo.stop() }
    try wggo.pause()
    let outcome = Box<UAPIError?>(nil)
    let finished = DispatchSemaphore(value: 0)
    let name = wggo.name
    Thread {
      do { _ = try UAPIBackend().device(named: name) } catch let e as UAPIError {
        outcome.value = e
      } catch {}
      finished.signal()
    }.start()
    usleep(300_000)
    wggo.signal(SIGKILL)
    #expect(finished.wait(timeout: .now() + 5) == .success)
    #expect(outcome.value?.errno == .protocolError)
  }
}

func ms(_ d: Duration) -> Int {
  Int(d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000)
}

/// wg(8) against a scripted daemon in /var/run/wireguard: its error text must be ours.
@Suite(.serialized, .enabled(if: Live.available, Comment(rawValue: Live.skipReason ?? "")))
struct UAPIErrorTextsMatchWg {
  func withFake(_ reply: String, _ body: (String) throws -> Void) throws {
    let name = "swgf\(getpid() % 100_000)"
    mkdir(UAPIBackend.defaultSocketDirectory, 0o755)
    let path = UAPIBackend.defaultSocketDirectory + "/" + name + ".sock"
    unlink(path)
    let daemon = try FakeDaemon(path: path) { fd in
      // wg probes with an empty connection first: answer real requests only.
      let request = readRequest(fd)
      if !request.isEmpty { send(fd, reply) }
    }
    defer { daemon.stop() }
    try body(name)
  }

  @Test(arguments: [
    "errno=22\n\n", "errno=-22\n\n", "errno=5\n\n", "x\n\n", "listen_port=1\n", "errno=0\n",
  ])
  func getTexts(reply: String) throws {
    try withFake(reply) { name in
      let wg = try run("wg", ["show", name, "dump"])
      var ours = ""
      do { _ = try UAPIBackend().device(named: name) } catch let e as UAPIError { ours = "\(e)" }
      #expect(wg.stderr == "Unable to access interface: \(ours)\n")
      #expect(wg.status == 1)
    }
  }

  @Test(arguments: [
    "errno=-22\n\n", "errno=22\n\n", "errno=-98\n\n", "\n", "x\n\n", "errno=0\n", "errno=x\n\n",
  ])
  func setTexts(reply: String) throws {
    try withFake(reply) { name in
      let wg = try run("wg", ["set", name, "listen-port", "1"])
      var ours = ""
      do { try UAPIBackend().apply(DeviceChange(listenPort: 1), to: name) } catch let e as UAPIError
      { ours = "\(e)" }
      #expect(wg.stderr == "Unable to modify interface: \(ours)\n")
      #expect(wg.status == 1)
    }
  }

  @Test func successMatches() throws {
    try withFake(goldenReply) { name in
      let wg = try run("wg", ["showconf", name])
      #expect(wg.status == 0)
      let d = try UAPIBackend().device(named: name)
      #expect(Conf(d) == (try Conf(showconf: wg.stdout)))
      #expect(try UAPIBackend.interfaceNames().contains(name))
      #expect(UAPIBackend.isUserspaceInterface(name))
    }
  }
}
