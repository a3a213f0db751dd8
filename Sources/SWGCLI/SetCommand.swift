import SWGConfig
import SWGCore

/// `wg set <interface> …` (`set.c`): the words become one DeviceChange, checked whole
/// (key files read, endpoints resolved) before anything is sent.
enum SetCommand {
  static func run(_ c: inout CommandContext, _ args: [String]) -> Int32 {
    guard args.count >= 3 else {
      c.error(
        "Usage: \(c.programName) \(args[0]) <interface> [listen-port <port>] [fwmark <mark>] [private-key <file path>] [peer <base64 public key> [remove] [preshared-key <file path>] [endpoint <ip>:<port>] [persistent-keepalive <interval seconds>] [allowed-ips [+|-]<ip1>/<cidr1>[,[+|-]<ip2>/<cidr2>]...] ]..."
      )
      return 1
    }
    let change: DeviceChange
    do {
      change = try SetArguments.parse(Array(args[2...]), warn: { warning in c.error(warning.description) })
    } catch {
      c.error(error.description)
      return 1
    }
    do {
      try c.backend.apply(change, to: interfaceName(args[1]))
    } catch {
      c.error("Unable to modify interface", error)
      return 1
    }
    return 0
  }

  /// wg copies the name into IFNAMSIZ with strncpy: at most 15 bytes, no error.
  static func interfaceName(_ name: String) -> String {
    let bytes = name.utf8
    guard bytes.count > 15 else { return name }
    return String(decoding: bytes.prefix(15), as: UTF8.self)
  }
}
