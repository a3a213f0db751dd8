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
    var text: [UInt8]
    switch ConfigFileReader.read(args[2]) {
    case .success(let bytes): text = bytes
    case .failure(.tooLarge):
      c.error("Configuration file `\(args[2])' is larger than \(ConfigFileReader.maxSize >> 20) MiB; refusing it")
      return 1
    case .failure(.system(let e)):
      c.error("fopen: \(e)")
      return 1
    }
    // The file's PrivateKey and PresharedKey text: zeroed however this ends.
    defer { wipe(&text) }
    var file: ConfigFile
    do {
      file = try ConfigFile.parse(text, fileName: args[2], warn: { warning in
        c.stderr.append(contentsOf: warning.message)
        c.stderr.append(byte: UInt8(ascii: "\n"))
      })
    } catch {
      c.stderr.append(contentsOf: error.wgReportBytes)
      c.stderr.flush()
      return 1
    }
    let name = SetCommand.interfaceName(args[1])
    var change: DeviceChange
    switch args[0] {
    case "addconf":
      change = file.asAddconfChange()
    case "syncconf" where !file.peers.isEmpty:
      var runtime: Device
      do {
        runtime = try c.backend.device(named: name)
      } catch {
        file.wipeKeys()
        c.error("Unable to retrieve current interface configuration", error)
        return 1
      }
      change = file.syncChange(runtime: runtime)
      runtime.wipeKeys()
    default:
      change = file.asSetconfChange()
    }
    // The keys parsed, once sent. The change usually shares the file's peer list: drop the
    // file's hold on it first, so it is zeroed in place rather than copied and then zeroed.
    defer {
      let shared =
        file.peers.withUnsafeBufferPointer { $0.baseAddress }
        == change.peers.withUnsafeBufferPointer { $0.baseAddress }
      if shared { file.peers = [] }
      change.wipeKeys()
      file.wipeKeys()
    }
    do {
      try c.backend.apply(change, to: name)
    } catch {
      c.error("Unable to modify interface", error)
      return 1
    }
    return 0
  }
}
