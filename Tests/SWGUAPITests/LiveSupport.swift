import Foundation
import Glibc
import SWGCore

@testable import SWGUAPI

/// Whether the live tests can run: root, with wireguard-go, ip and wg installed.
enum Live {
  static func which(_ name: String) -> String? {
    let dirs =
      (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin")
      .split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin"]
    return dirs.map { $0 + "/" + name }.first { access($0, X_OK) == 0 }
  }

  /// nil when the live tests can run, else why not.
  static let skipReason: String? = {
    var missing: [String] = []
    if getuid() != 0 { missing.append("root") }
    for tool in ["wireguard-go", "ip", "wg"] where which(tool) == nil { missing.append(tool) }
    return missing.isEmpty ? nil : "live UAPI tests need " + missing.joined(separator: ", ")
  }()

  static var available: Bool { skipReason == nil }
}

struct RunResult {
  var status: Int32
  var stdout: String
  var stderr: String
  var seconds: Double
}

/// Runs a program to completion; output goes through temp files (no pipe deadlocks).
@discardableResult
func run(_ exe: String, _ args: [String]) throws -> RunResult {
  let dir = try TempDir()
  defer { dir.remove() }
  let out = dir.path + "/out"
  let err = dir.path + "/err"
  _ = FileManager.default.createFile(atPath: out, contents: nil)
  _ = FileManager.default.createFile(atPath: err, contents: nil)
  let p = Process()
  p.executableURL = URL(fileURLWithPath: Live.which(exe) ?? exe)
  p.arguments = args
  p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
  p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
  let start = ContinuousClock.now
  try p.run()
  p.waitUntilExit()
  let took = ContinuousClock.now - start
  return RunResult(
    status: p.terminationStatus,
    stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
    stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "",
    seconds: Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18)
}

/// wireguard-go running in the foreground inside its own network namespace (loopback
/// only, no default route). `stop()` kills it, deletes the namespace and the socket; call
/// it from a `defer` so it runs even when a check fails.
final class WireGuardGo {
  let name: String
  let netns: String
  let process = Process()
  var socketPath: String { UAPIBackend.defaultSocketDirectory + "/" + name + ".sock" }

  /// `suffix` keeps names unique per test; names stay within 15 bytes.
  init(_ suffix: String) throws {
    name = "swgu\(getpid() % 100_000)\(suffix)"
    netns = "swgt-" + name
    _ = try? run("ip", ["netns", "del", netns])
    let add = try run("ip", ["netns", "add", netns])
    guard add.status == 0 else { throw LiveError("ip netns add: \(add.stderr)") }
    try run("ip", ["-n", netns, "link", "set", "lo", "up"])
    process.executableURL = URL(fileURLWithPath: Live.which("ip") ?? "/usr/sbin/ip")
    // `ip netns exec` execs the command, so the process is wireguard-go itself.
    process.arguments = ["netns", "exec", netns, "wireguard-go", "-f", name]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      _ = try? run("ip", ["netns", "del", netns])
      throw error
    }
    for _ in 0..<200 {
      var st = stat()
      if stat(socketPath, &st) == 0, UAPIBackend().isUserspaceInterface(name) { return }
      usleep(25_000)
    }
    stop()
    throw LiveError("wireguard-go \(name) did not start")
  }

  var pid: pid_t { process.processIdentifier }

  func signal(_ sig: Int32) { kill(pid, sig) }

  /// The state letter from /proc/PID/stat (`T` when stopped).
  var state: Character? {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let close = stat.lastIndex(of: ")")
    else { return nil }
    return stat[close...].dropFirst(2).first
  }

  /// SIGSTOP, then wait until the kernel reports the whole process stopped.
  func pause() throws {
    kill(pid, SIGSTOP)
    for _ in 0..<200 {
      if state == "T" { return }
      usleep(5_000)
    }
    throw LiveError("wireguard-go \(name) did not stop (state \(state.map(String.init) ?? "?"))")
  }

  func stop() {
    if process.isRunning {
      kill(pid, SIGCONT)
      process.terminate()
      for _ in 0..<100 where process.isRunning { usleep(20_000) }
      if process.isRunning { kill(pid, SIGKILL) }
      process.waitUntilExit()
    }
    _ = try? run("ip", ["netns", "del", netns])
    unlink(socketPath)
  }
}

struct LiveError: Error, CustomStringConvertible {
  var description: String
  init(_ d: String) { description = d }
}

// MARK: - Comparable view of a configuration

/// What `wg showconf` shows, keyed so peer order (wireguard-go's is random) does not matter.
struct Conf: Equatable, CustomStringConvertible {
  struct PeerConf: Equatable {
    var presharedKey: String?
    var allowedIPs: [String] = []
    var endpoint: String?
    var keepalive: Int = 0
  }
  var privateKey: String?
  var listenPort = 0
  var fwmark: UInt32 = 0
  var peers: [String: PeerConf] = [:]

  var description: String {
    "Conf(port \(listenPort), fwmark \(fwmark), key \(privateKey != nil), \(peers.count) peers)"
  }

  /// Allowed IPs sorted, for comparing with what was set (daemons reorder them).
  var sorted: Conf {
    var c = self
    for (k, p) in c.peers { c.peers[k]?.allowedIPs = p.allowedIPs.sorted() }
    return c
  }

  /// Parses `wg showconf` output.
  init(showconf text: String) throws {
    var current: String?
    for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let line = raw.trimmingCharacters(in: .whitespaces)
      if line.isEmpty { continue }
      if line == "[Interface]" {
        current = nil
        continue
      }
      if line == "[Peer]" {
        current = ""
        continue
      }
      guard let eq = line.firstIndex(of: "=") else { throw LiveError("showconf line: \(line)") }
      let k = line[..<eq].trimmingCharacters(in: .whitespaces)
      let v = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
      if current == nil {
        switch k {
        case "PrivateKey": privateKey = v
        case "ListenPort": listenPort = Int(v) ?? -1
        case "FwMark": fwmark = UInt32(v.dropFirst(2), radix: 16) ?? 0xdead
        default: throw LiveError("showconf key \(k)")
        }
      } else if k == "PublicKey" {
        current = v
        peers[v] = PeerConf()
      } else if let c = current, !c.isEmpty {
        switch k {
        case "PresharedKey": peers[c]?.presharedKey = v
        case "AllowedIPs": peers[c]?.allowedIPs = v.components(separatedBy: ", ")
        case "Endpoint": peers[c]?.endpoint = v
        case "PersistentKeepalive": peers[c]?.keepalive = Int(v) ?? -1
        default: throw LiveError("showconf key \(k)")
        }
      }
    }
  }

  /// What `wg showconf` would print for `device`.
  init(_ device: Device) {
    privateKey = device.privateKey.flatMap { $0.isZero ? nil : $0.base64 }
    listenPort = Int(device.listenPort)
    fwmark = device.fwmark
    for p in device.peers {
      peers[p.publicKey.base64] = PeerConf(
        presharedKey: p.presharedKey?.base64, allowedIPs: p.allowedIPs.map(\.description),
        endpoint: p.endpoint?.description, keepalive: Int(p.persistentKeepalive))
    }
  }

  /// The state a replace-everything change leads to.
  init(replacing change: DeviceChange) {
    privateKey = change.privateKey.flatMap { $0.isZero ? nil : $0.base64 }
    listenPort = Int(change.listenPort ?? 0)
    fwmark = change.fwmark ?? 0
    for p in change.peers where !p.remove {
      peers[p.publicKey.base64] = PeerConf(
        presharedKey: p.presharedKey.flatMap { $0.isZero ? nil : $0.base64 },
        allowedIPs: p.allowedIPs.filter { !$0.remove }.map(\.allowedIP.description),
        endpoint: p.endpoint?.description, keepalive: Int(p.persistentKeepalive ?? 0))
    }
  }
}

/// A wg(8) config file for a replace-everything change (input to `wg setconf`).
func configFile(_ change: DeviceChange) -> String {
  var s = "[Interface]\n"
  if let k = change.privateKey { s += "PrivateKey = \(k.base64)\n" }
  if let p = change.listenPort { s += "ListenPort = \(p)\n" }
  if let m = change.fwmark { s += "FwMark = \(m)\n" }
  for p in change.peers {
    s += "\n[Peer]\nPublicKey = \(p.publicKey.base64)\n"
    if let k = p.presharedKey { s += "PresharedKey = \(k.base64)\n" }
    if !p.allowedIPs.isEmpty {
      s += "AllowedIPs = \(p.allowedIPs.map(\.description).joined(separator: ", "))\n"
    }
    if let e = p.endpoint { s += "Endpoint = \(e)\n" }
    if let k = p.persistentKeepalive { s += "PersistentKeepalive = \(k)\n" }
  }
  return s
}

/// A random replace-everything state: `count` peers on loopback endpoints, some with
/// preshared keys, v4 and v6 allowed IPs, and keepalive on a few.
func randomState(peers count: Int, seed: UInt64, port: UInt16, fwmark: UInt32) -> DeviceChange {
  var rng = SplitMix64(seed: seed)
  func randomKey() -> Key {
    var k = Key.zero
    k.withUnsafeMutableBytes { raw in
      for j in stride(from: 0, to: 32, by: 8) {
        raw.storeBytes(of: rng.next(), toByteOffset: j, as: UInt64.self)
      }
    }
    return k
  }
  var peers: [PeerChange] = []
  for i in 0..<count {
    let n = UInt32(i)
    var ips: [AllowedIPChange] = []
    if let a = AllowedIP(address: .v4(IPv4Address(0x0a00_0000 | n << 8)), cidr: 24) {
      ips.append(AllowedIPChange(a))
    }
    if let a = AllowedIP(
      address: .v6(IPv6Address(high: 0xfd00_0000_0000_0000 | UInt64(n) << 16, low: 0)), cidr: 64)
    {
      ips.append(AllowedIPChange(a))
    }
    if i % 3 == 0, let a = AllowedIP(address: .v4(IPv4Address(0xc0a8_0000 | n)), cidr: 32) {
      ips.append(AllowedIPChange(a))
    }
    let port = UInt16(truncatingIfNeeded: 20000 + i)
    let endpoint: Endpoint? =
      i % 4 == 3
      ? nil
      : i % 2 == 0
        ? .v4(IPv4Address(0x7f00_0001), port: port)
        : .v6(IPv6Address(high: 0, low: 1), port: port)
    peers.append(
      PeerChange(
        publicKey: randomKey(), presharedKey: i % 2 == 0 ? randomKey() : nil, endpoint: endpoint,
        persistentKeepalive: i % 500 == 0 ? 25 : nil, allowedIPs: ips))
  }
  var priv = randomKey()
  priv.clamp()
  return DeviceChange(
    privateKey: priv, listenPort: port, fwmark: fwmark, replacePeers: true, peers: peers)
}
