import SWGConfig
import SWGCore

/// `wg showconf <interface>` (`showconf.c`).
enum ShowConfCommand {
  static func run(_ c: inout CommandContext, _ args: [String]) -> Int32 {
    guard args.count == 2 else {
      c.error("Usage: \(c.programName) \(args[0]) <interface>")
      return 1
    }
    var device: Device
    do {
      device = try c.backend.device(named: args[1])
    } catch {
      c.error("Unable to access interface", error)
      return 1
    }
    defer { device.wipeKeys() }
    device.appendShowconf(to: &c.stdout)
    return 0
  }
}
