import Glibc
import SWGCore
import Testing
@testable import SWGCLI

/// A backend holding devices in memory; records what was applied.
final class FakeBackend: WireGuardBackend, @unchecked Sendable {
  var devices: [Device]
  var failing: [String: Errno] = [:]
  var listError: Errno?
  var applied: [(String, DeviceChange)] = []

  init(_ devices: [Device] = []) { self.devices = devices }

  func deviceNames() throws -> [String] {
    if let listError { throw listError }
    return devices.map(\.name) + failing.keys.sorted()
  }
  func device(named name: String) throws -> Device {
    if let e = failing[name] { throw e }
    guard let d = devices.first(where: { $0.name == name }) else { throw Errno.noSuchDevice }
    return d
  }
  func apply(_ change: DeviceChange, to name: String) throws {
    if let e = failing[name] { throw e }
    guard devices.contains(where: { $0.name == name }) else { throw Errno.noSuchDevice }
    applied.append((name, change))
  }
}

struct Run {
  var status: Int32
  var out: String
  var err: String
}

func swg(_ words: [String], _ backend: FakeBackend = FakeBackend(), env: Environment = Environment(now: Fixtures.fake0Now))
  -> Run
{
  var c = CommandContext(programName: "wg", environment: env, backend: backend)
  let status = SWG.run(["wg"] + words, context: &c)
  return Run(status: status, out: c.stdout.text, err: c.stderr.text)
}

@Suite struct CommandTests {
  static let usage = """
    Usage: wg <cmd> [<args>]

    Available subcommands:
      show: Shows the current configuration and device information
      showconf: Shows the current configuration of a given WireGuard interface, for use with `setconf'
      set: Change the current configuration, add peers, remove peers, or change peers
      setconf: Applies a configuration file to a WireGuard interface
      addconf: Appends a configuration file to a WireGuard interface
      syncconf: Synchronizes a configuration file to a WireGuard interface
      genkey: Generates a new private key and writes it to stdout
      genpsk: Generates a new preshared key and writes it to stdout
      pubkey: Reads a private key from stdin and writes a public key to stdout
    You may pass `--help' to any of these subcommands to view usage.

    """
  static let showUsage =
    "Usage: wg show { <interface> | all | interfaces } [public-key | private-key | listen-port | fwmark | peers | preshared-keys | endpoints | allowed-ips | latest-handshakes | transfer | persistent-keepalive | dump]\n"

  @Test(arguments: ["-h", "--help", "help"])
  func helpGoesToStdout(flag: String) {
    let r = swg([flag])
    #expect(r.status == 0 && r.out == Self.usage && r.err == "")
  }

  @Test(arguments: ["-v", "--version", "version"])
  func version(flag: String) {
    let r = swg([flag])
    #expect(r.status == 0 && r.out.hasPrefix("wireguard-tools v1.0.20260223 ") && r.out.hasSuffix("\n"))
  }

  @Test func invalidSubcommand() {
    let r = swg(["wg0"])
    #expect(r.status == 1 && r.out == "" && r.err == "Invalid subcommand: `wg0'\n" + Self.usage)
    // Flags only count alone: `--help x` is a subcommand name.
    #expect(swg(["--help", "x"]).err.hasPrefix("Invalid subcommand: `--help'\n"))
    #expect(swg(["Show"]).status == 1)
  }

  @Test func programNameFromArgv0() {
    var c = CommandContext(backend: FakeBackend())
    _ = SWG.run(["/usr/bin/swg", "bogus"], context: &c)
    #expect(c.stderr.text.contains("Usage: /usr/bin/swg <cmd> [<args>]\n"))
  }

  @Test func bareIsShowAll() {
    let b = FakeBackend([Fixtures.fake0, Device(name: "wg1")])
    let r = swg([], b)
    let style = PrettyStyle(now: Fixtures.fake0Now)
    #expect(r.status == 0)
    #expect(r.out == Fixtures.fake0.prettyText(style: style) + "\n" + "interface: wg1\n")
    #expect(swg(["show"], b).out == r.out)
    #expect(swg(["show", "all"], b).out == r.out)
  }

  @Test func showAllReportsFailuresAndContinues() {
    let b = FakeBackend([Device(name: "a")])
    b.failing = ["z": Errno(EACCES)]
    let r = swg(["show"], b)
    // The blank line after `a` is printed because another name follows, even though it fails.
    #expect(r.status == 0 && r.out == "interface: a\n\n" && r.err == "Unable to access interface z: Permission denied\n")
    b.devices = []
    #expect(swg(["show", "all"], b).status == 1)
    #expect(swg(["show", "all", "dump"], b).status == 1)
    b.failing = [:]
    let none = swg(["show"], b)
    #expect(none.status == 0 && none.out == "" && none.err == "")
    b.listError = Errno(EPERM)
    let listed = swg(["show", "interfaces"], b)
    #expect(listed.status == 1 && listed.err == "Unable to list interfaces: Operation not permitted\n")
  }

  @Test func showAllInvalidField() {
    let b = FakeBackend([Device(name: "a"), Device(name: "b")])
    let r = swg(["show", "all", "bogus"], b)
    #expect(r.status == 1 && r.out == "" && r.err == "Invalid parameter: `bogus'\n" + Self.showUsage)
    // With no devices the field is never looked at.
    #expect(swg(["show", "all", "bogus"], FakeBackend()).status == 0)
  }

  @Test func showInterfaces() {
    #expect(swg(["show", "interfaces"], FakeBackend([Device(name: "a"), Device(name: "b")])).out == "a b\n")
    let none = swg(["show", "interfaces"])
    #expect(none.status == 0 && none.out == "")
    let extra = swg(["show", "interfaces", "x"])
    #expect(extra.status == 1 && extra.err == Self.showUsage)
  }

  @Test func showUsageForms() {
    for flag in ["-h", "--help", "help"] {
      let r = swg(["show", flag])
      #expect(r.status == 0 && r.out == "" && r.err == Self.showUsage)
    }
    let many = swg(["show", "a", "b", "c"])
    #expect(many.status == 1 && many.err == Self.showUsage)
  }

  @Test func showOneInterface() {
    let b = FakeBackend([Fixtures.fake0])
    #expect(swg(["show", "fake0", "listen-port"], b).out == "51820\n")
    let missing = swg(["show", "nope"], b)
    #expect(missing.status == 1 && missing.err == "Unable to access interface: No such device\n")
    let bad = swg(["show", "fake0", "bogus"], b)
    #expect(bad.status == 1 && bad.out == "" && bad.err == "Invalid parameter: `bogus'\n" + Self.showUsage)
  }

  @Test func colourFromEnvironment() {
    let b = FakeBackend([Device(name: "a")])
    #expect(swg(["show", "a"], b, env: Environment(colorMode: "always")).out.hasPrefix("\u{1b}[0m"))
    #expect(swg(["show", "a"], b, env: Environment(colorMode: "never", stdoutIsTTY: true)).out == "interface: a\n")
    #expect(swg(["show", "a"], b, env: Environment(colorMode: "auto", stdoutIsTTY: true)).out.hasPrefix("\u{1b}[0m"))
    #expect(swg(["show", "a"], b, env: Environment(stdoutIsTTY: false)).out == "interface: a\n")
    // Script output never has colour.
    #expect(swg(["show", "a", "dump"], b, env: Environment(colorMode: "always")).out == "(none)\t(none)\t0\toff\n")
  }

  @Test func hideKeys() {
    let b = FakeBackend([Fixtures.fake0])
    #expect(swg(["show", "fake0"], b, env: Environment(hideKeys: "never")).out.contains(Fixtures.priv.base64))
    #expect(!swg(["show", "fake0"], b, env: Environment(hideKeys: "always")).out.contains(Fixtures.priv.base64))
    #expect(!swg(["show", "fake0"], b).out.contains(Fixtures.priv.base64))
    // The private-key selector ignores WG_HIDE_KEYS, as wg does.
    #expect(swg(["show", "fake0", "private-key"], b).out == Fixtures.priv.base64 + "\n")
  }

  @Test func json() {
    let b = FakeBackend([Fixtures.fake0, Device(name: "wg1")])
    let one = swg(["show", "fake0", "--json"], b)
    #expect(one.status == 0 && one.out == Fixtures.fake0.jsonText(options: JSONOptions(now: Fixtures.fake0Now)))
    let all = swg(["show", "--json"], b)
    #expect(all.out.contains("\"name\": \"fake0\"") && all.out.contains("\"name\": \"wg1\""))
    #expect(swg(["show", "all", "--json"], b).out == all.out)
    #expect(swg(["show", "--json", "--show-keys", "fake0"], b).out.contains(Fixtures.priv.base64))
    #expect(swg(["show", "interfaces", "--json"], b).status == 1)
    #expect(swg(["show", "nope", "--json"], b).err == "Unable to access interface: No such device\n")
  }

  @Test func setUsageAndErrors() {
    let usage =
      "Usage: wg set <interface> [listen-port <port>] [fwmark <mark>] [private-key <file path>] [peer <base64 public key> [remove] [preshared-key <file path>] [endpoint <ip>:<port>] [persistent-keepalive <interval seconds>] [allowed-ips [+|-]<ip1>/<cidr1>[,[+|-]<ip2>/<cidr2>]...] ]...\n"
    #expect(swg(["set"]).err == usage)
    #expect(swg(["set", "wg0"]).err == usage)
    #expect(swg(["set", "wg0"]).status == 1)
    let b = FakeBackend([Device(name: "wg0")])
    let r = swg(["set", "wg0", "remove"], b)
    #expect(r.status == 1 && r.err == "Invalid argument: remove\n" && b.applied.isEmpty)
    #expect(swg(["set", "wg0", "peer"], b).err == "Invalid argument: peer\n")
    #expect(swg(["set", "wg0", "fwmark", "0x1ffffffff"], b).err == "Fwmark is neither 0/off nor 0-0xffffffff: `0x1ffffffff'\n")
    #expect(b.applied.isEmpty)
    let missing = swg(["set", "nope", "listen-port", "1"], b)
    #expect(missing.status == 1 && missing.err == "Unable to modify interface: No such device\n")
  }

  @Test func setAppliesOneChange() {
    let b = FakeBackend([Device(name: "wg0")])
    let k = Fixtures.xtib.base64
    let r = swg(
      ["set", "wg0", "listen-port", "1234", "fwmark", "off", "peer", k, "update-only", "allowed-ips", "10.0.0.1/24", "persistent-keepalive", "off"], b)
    #expect(r.status == 0 && r.out == "")
    #expect(r.err == "Warning: AllowedIP has nonzero host part: 10.0.0.1/24\n")
    let change = b.applied.first?.1
    #expect(change?.listenPort == 1234 && change?.fwmark == 0)
    #expect(change?.peers.first?.updateOnly == true && change?.peers.first?.persistentKeepalive == 0)
    #expect(change?.peers.first?.replaceAllowedIPs == true)
  }

  @Test func setTruncatesLongNames() {
    let b = FakeBackend([Device(name: "abcdefghijklmno")])
    #expect(swg(["set", "abcdefghijklmnopqrs", "listen-port", "1"], b).status == 0)
    #expect(b.applied.first?.0 == "abcdefghijklmno")
  }
}
