import SWGCore

/// `wg show { <interface> | all | interfaces } [FIELD]` (`show.c`), plus swg's `--json`.
enum ShowCommand {
  static func usage(_ c: inout CommandContext) {
    c.stderr.append(
      "Usage: \(c.programName) show { <interface> | all | interfaces } [public-key | private-key | listen-port | fwmark | peers | preshared-keys | endpoints | allowed-ips | latest-handshakes | transfer | persistent-keepalive | dump]\n"
    )
  }

  static func run(_ c: inout CommandContext, _ argv: [String]) -> Int32 {
    var args = argv
    // swg only: `--json` (with optional `--show-keys`) anywhere after `show`.
    if args.dropFirst().contains("--json") {
      let showKeys = args.dropFirst().contains("--show-keys")
      args = args.enumerated().filter { $0.offset == 0 || ($0.element != "--json" && $0.element != "--show-keys") }
        .map(\.element)
      return runJSON(&c, args, showKeys: showKeys)
    }
    if args.count > 3 {
      usage(&c)
      return 1
    }
    if args.count == 1 || args[1] == "all" {
      return showAll(&c, field: args.count == 3 ? args[2] : nil)
    }
    if args[1] == "interfaces" {
      if args.count > 2 {
        usage(&c)
        return 1
      }
      let names: [String]
      do {
        names = try c.backend.deviceNames()
      } catch {
        c.error("Unable to list interfaces", error)
        return 1
      }
      for (n, name) in names.enumerated() {
        c.stdout.append(name)
        c.stdout.append(byte: n + 1 < names.count ? 32 : 10)
      }
      return 0
    }
    if args.count == 2 && (args[1] == "-h" || args[1] == "--help" || args[1] == "help") {
      usage(&c)
      return 0
    }
    var device: Device
    do {
      device = try c.backend.device(named: args[1])
    } catch {
      c.error("Unable to access interface", error)
      return 1
    }
    defer { device.wipeKeys() }
    if args.count == 3 {
      return printField(&c, device, args[2], withInterface: false) ? 0 : 1
    }
    device.appendPretty(to: &c.stdout, style: prettyStyle(c))
    return 0
  }

  static func prettyStyle(_ c: CommandContext) -> PrettyStyle {
    PrettyStyle(
      palette: c.environment.palette, showsKeys: c.environment.showsKeys, now: c.environment.now)
  }

  /// `show` / `show all [FIELD]`: every device, skipping (and reporting) those that fail.
  static func showAll(_ c: inout CommandContext, field: String?) -> Int32 {
    let names: [String]
    do {
      names = try c.backend.deviceNames()
    } catch {
      c.error("Unable to list interfaces", error)
      return 1
    }
    var status: Int32 = names.isEmpty ? 0 : 1
    let style = prettyStyle(c)
    for (n, name) in names.enumerated() {
      var device: Device
      do {
        device = try c.backend.device(named: name)
      } catch {
        c.stdout.flush()
        c.error("Unable to access interface \(name): \(c.describe(error))")
        continue
      }
      defer { device.wipeKeys() }
      if let field {
        if !printField(&c, device, field, withInterface: true) {
          return 1
        }
      } else {
        device.appendPretty(to: &c.stdout, style: style)
        // wg separates devices whenever another name follows, even one that then fails.
        if n + 1 < names.count { c.stdout.append(byte: 10) }
      }
      c.stdout.flushIfFull()
      status = 0
    }
    return status
  }

  static func printField(_ c: inout CommandContext, _ device: Device, _ name: String, withInterface: Bool) -> Bool {
    guard let field = ShowField(rawValue: name) else {
      c.stdout.flush()
      c.stderr.append("Invalid parameter: `\(name)'\n")
      usage(&c)
      return false
    }
    device.appendField(field, withInterface: withInterface, to: &c.stdout)
    return true
  }

  /// `swg show [IFACE|all] --json [--show-keys]`: one document, schema in Device+JSON.swift.
  static func runJSON(_ c: inout CommandContext, _ args: [String], showKeys: Bool) -> Int32 {
    guard args.count <= 2, args.count < 2 || args[1] != "interfaces" else {
      c.stderr.append("Usage: \(c.programName) show [<interface> | all] --json [--show-keys]\n")
      return 1
    }
    let options = JSONOptions(showsKeys: showKeys, now: c.environment.now)
    var devices: [Device] = []
    var status: Int32 = 0
    if args.count == 1 || args[1] == "all" {
      let names: [String]
      do {
        names = try c.backend.deviceNames()
      } catch {
        c.error("Unable to list interfaces", error)
        return 1
      }
      if !names.isEmpty { status = 1 }
      for name in names {
        do {
          devices.append(try c.backend.device(named: name))
          status = 0
        } catch {
          c.error("Unable to access interface \(name): \(c.describe(error))")
        }
      }
    } else {
      do {
        devices.append(try c.backend.device(named: args[1]))
      } catch {
        c.error("Unable to access interface", error)
        return 1
      }
    }
    appendJSONDocument(devices, options: options, to: &c.stdout)
    for i in devices.indices { devices[i].wipeKeys() }
    return status
  }
}
