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
    // Parsed as it is read, 64 KiB at a time: the file's text (and its keys) is never
    // held whole, and the parser wipes its line buffer when it ends. Parsed in a function of
    // its own so the parser (and its copy of the peer list) is gone before the keys are
    // wiped: the list is then zeroed in place, not copied first.
    guard var file = parse(&c, path: args[2]) else { return 1 }
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

  /// The configuration at `path`, or nil once the error was reported as wg reports it.
  static func parse(_ c: inout CommandContext, path: String) -> ConfigFile? {
    let parser = ConfigFileStreamParser(fileName: path)
    var parseError: ConfigFileError?
    func warn(_ warning: ConfigWarning) {
      c.stderr.append(contentsOf: warning.message)
      c.stderr.append(byte: UInt8(ascii: "\n"))
    }
    let read = ConfigFileReader.forEachChunk(path) { chunk in
      do throws(ConfigFileError) {
        try parser.feed(chunk, warn: warn)
        return true
      } catch {
        parseError = error
        return false
      }
    }
    switch read {
    case .failure(.tooLarge) where parseError == nil:
      c.error("Configuration file `\(path)' is larger than \(ConfigFileReader.maxSize >> 20) MiB; refusing it")
      return nil
    case .failure(.system(let e)):
      c.error("fopen: \(e)")
      return nil
    default:
      do throws(ConfigFileError) {
        if let parseError { throw parseError }
        return try parser.finish(warn: warn)
      } catch {
        c.stderr.append(contentsOf: error.wgReportBytes)
        c.stderr.flush()
        return nil
      }
    }
  }
}
