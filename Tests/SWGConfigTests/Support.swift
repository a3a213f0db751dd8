import Foundation
import SWGConfig
import SWGCore
import Testing

/// Fixed keys for tests (generated once with `wg genkey`/`wg pubkey`).
enum TestKeys {
  static let privateText = "wP8cpNmpmiLo1QnWRYe0nVbo8g7W3hYGAgmpnFAPc0s="
  static let publicText = "lmL5rCKKebpbxg5KYA0fPlBF3UGlYM9inAusH2OrU1A="
  static let peer2Text = "TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0="
  static let peer3Text = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg="
  static let pskText = "/UwcSPg38hW/D9Y3tcS1FOV0K1wuURMbS0sesJEP5ak="
  /// Not the public key of `privateText` (a device ignores a peer with its own key).
  static let peer4Text = "uEvnOGbtQe8DziMSjmc0CQyGQjjjEfXSIJtaPl52rxM="

  static func key(_ text: String) throws -> Key { try ConfigValue.key(text) }
}

struct TestFailure: Error, CustomStringConvertible {
  var description: String
}

/// A scratch directory removed when the value goes away.
final class TempDir {
  let path: String

  init() throws {
    var template = Array("/tmp/swg-config-test-XXXXXX".utf8CString)
    guard let made = mkdtemp(&template) else { throw TestFailure(description: "mkdtemp failed") }
    path = String(cString: made)
    chmod(path, 0o700)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  @discardableResult
  func write(_ name: String, _ bytes: [UInt8], mode: Int = 0o600) throws -> String {
    let file = path + "/" + name
    guard
      FileManager.default.createFile(
        atPath: file, contents: Data(bytes), attributes: [.posixPermissions: mode])
    else { throw TestFailure(description: "cannot write \(file)") }
    return file
  }

  @discardableResult
  func write(_ name: String, _ text: String) throws -> String { try write(name, Array(text.utf8)) }
}

/// The real tools, when installed: oracles for error texts and `strip` output.
enum Oracle {
  static let wg = "/usr/bin/wg"
  static let wgQuick = "/usr/bin/wg-quick"
  static var wgAvailable: Bool { FileManager.default.isExecutableFile(atPath: wg) }
  /// wg-quick re-executes itself through sudo unless run as root.
  static var wgQuickAvailable: Bool {
    FileManager.default.isExecutableFile(atPath: wgQuick) && getuid() == 0
      && FileManager.default.isExecutableFile(atPath: "/bin/bash")
  }

  struct Result {
    var status: Int32
    var stdout: [UInt8]
    var stderr: [UInt8]
    var stderrText: String { String(decoding: stderr, as: UTF8.self) }
  }

  static func run(_ path: String, _ arguments: [String], environment extra: [String: String] = [:])
    throws -> Result
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (k, v) in extra { env[k] = v }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Read both pipes fully before waiting so a chatty child cannot block.
    let group = DispatchGroup()
    nonisolated(unsafe) var outData = Data()
    nonisolated(unsafe) var errData = Data()
    group.enter()
    DispatchQueue.global().async {
      outData = out.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    errData = err.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return Result(status: process.terminationStatus, stdout: Array(outData), stderr: Array(errData))
  }

  /// `wg setconf` (or addconf) on an interface that does not exist: parse errors come
  /// before any attempt to reach the interface. Endpoint retries are turned off.
  static func wgConf(_ command: String, file: String) throws -> Result {
    try run(wg, [command, "swgnone0", file], environment: ["WG_ENDPOINT_RESOLUTION_RETRIES": "0"])
  }

  static func wgSet(_ words: [String]) throws -> Result {
    try run(wg, ["set", "swgnone0"] + words, environment: ["WG_ENDPOINT_RESOLUTION_RETRIES": "0"])
  }
}

/// Everything swg would print for a failed config parse: warnings as they came, then the
/// error as `wg setconf` reports it (as text, and as the exact bytes).
func wgStyleStderr(_ text: [UInt8], fileName: String = "test.conf") -> (
  stderr: String, bytes: [UInt8], error: ConfigFileError?
) {
  var bytes: [UInt8] = []
  do {
    _ = try ConfigFile.parse(text, fileName: fileName, resolutionRetries: 0) {
      bytes += $0.message + [10]
    }
    return (String(decoding: bytes, as: UTF8.self), bytes, nil)
  } catch {
    bytes += error.wgReportBytes
    return (String(decoding: bytes, as: UTF8.self), bytes, error)
  }
}

/// A deterministic generator so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// A wireguard-go device in its own network namespace (loopback only), for differential
/// tests against the real wg. Removed when the value goes away.
final class LiveDevice {
  static let ip =
    FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip") ? "/usr/sbin/ip" : "/sbin/ip"
  static var available: Bool {
    Oracle.wgAvailable && getuid() == 0
      && FileManager.default.isExecutableFile(atPath: "/usr/bin/wireguard-go")
      && FileManager.default.isExecutableFile(atPath: ip)
  }

  let name: String
  let netns: String
  let daemon = Process()

  init(tag: String) throws {
    name = "swgh1\(tag)\(getpid() % 10000)"
    netns = "swgh1-\(name)"
    _ = try Oracle.run(Self.ip, ["netns", "add", netns])
    daemon.executableURL = URL(fileURLWithPath: Self.ip)
    daemon.arguments = ["netns", "exec", netns, "/usr/bin/wireguard-go", "-f", name]
    daemon.standardOutput = FileHandle.nullDevice
    daemon.standardError = FileHandle.nullDevice
    try daemon.run()
    let socket = "/var/run/wireguard/\(name).sock"
    for _ in 0..<100 where !FileManager.default.fileExists(atPath: socket) { usleep(50_000) }
    guard FileManager.default.fileExists(atPath: socket) else {
      throw TestFailure(description: "wireguard-go did not start")
    }
  }

  deinit {
    daemon.terminate()
    daemon.waitUntilExit()
    _ = try? Oracle.run(Self.ip, ["netns", "del", netns])
    unlink("/var/run/wireguard/\(name).sock")
  }

  /// Runs wg; throws with its stderr unless it succeeds.
  func wg(_ arguments: [String]) throws {
    let result = try Oracle.run(
      Oracle.wg, arguments, environment: ["WG_ENDPOINT_RESOLUTION_RETRIES": "0"])
    guard result.status == 0 else {
      throw TestFailure(description: "wg \(arguments) failed: \(result.stderrText)")
    }
  }

  func showconf() throws -> String {
    let result = try Oracle.run(Oracle.wg, ["showconf", name])
    guard result.status == 0 else { throw TestFailure(description: result.stderrText) }
    return String(decoding: result.stdout, as: UTF8.self)
  }

  /// The device as it is now, read through `wg showconf`.
  func device() throws -> Device { try parseConfig(try showconf()).asDevice(named: name) }

  /// A device's state with orders removed (wireguard-go lists peers and prefixes in its own
  /// order): peers by key, each with its allowed IPs as a sorted list of texts.
  static func normalized(_ device: Device) -> [String] {
    var lines = [
      "private \(device.privateKey?.base64 ?? "-")", "port \(device.listenPort)",
      "fwmark \(device.fwmark)",
    ]
    for peer in device.peers.sorted(by: { Key.byteOrder($0.publicKey, $1.publicKey) }) {
      lines.append(
        "peer \(peer.publicKey.base64) psk \(peer.presharedKey?.base64 ?? "-") endpoint \(peer.endpoint?.description ?? "-") keepalive \(peer.persistentKeepalive) ips \(peer.allowedIPs.map(\.description).sorted())"
      )
    }
    return lines
  }
}
