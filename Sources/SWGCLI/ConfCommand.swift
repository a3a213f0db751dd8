import Glibc
import SWGConfig
import SWGCore

/// `wg setconf|addconf|syncconf <interface> <configuration filename>` (`setconf.c`).
enum ConfCommand {
  static func run(_ c: inout CommandContext, _ args: [String]) -> Int32 {
    guard args.count == 3 else {
      c.error("Usage: \(c.programName) \(args[0]) <interface> <configuration filename>")
      return 1
    }
    let text: [UInt8]
    switch readFile(args[2]) {
    case .success(let bytes): text = bytes
    case .failure(let e):
      c.error("fopen: \(e)")
      return 1
    }
    let file: ConfigFile
    do {
      file = try ConfigFile.parse(text, fileName: args[2], warn: { c.error($0.description) })
    } catch {
      c.stderr.append(error.wgReport)
      c.stderr.flush()
      return 1
    }
    let name = SetCommand.interfaceName(args[1])
    let change: DeviceChange
    switch args[0] {
    case "addconf":
      change = file.asAddconfChange()
    case "syncconf" where !file.peers.isEmpty:
      let runtime: Device
      do {
        runtime = try c.backend.device(named: name)
      } catch {
        c.error("Unable to retrieve current interface configuration", error)
        return 1
      }
      change = file.syncChange(runtime: runtime)
    default:
      change = file.asSetconfChange()
    }
    do {
      try c.backend.apply(change, to: name)
    } catch {
      c.error("Unable to modify interface", error)
      return 1
    }
    return 0
  }

  /// The whole file (pipes and /dev/stdin included); an open failure is fopen's errno.
  /// A read error ends the text, as getline's failure ends wg's loop.
  static func readFile(_ path: String) -> Result<[UInt8], Errno> {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return .failure(Errno.current) }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { break }
      bytes.append(contentsOf: chunk[0..<n])
    }
    return .success(bytes)
  }
}
