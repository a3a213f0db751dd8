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
    case .failure(.tooLarge):
      c.error("Configuration file `\(args[2])' is larger than \(maxConfigSize >> 20) MiB; refusing it")
      return 1
    case .failure(.system(let e)):
      c.error("fopen: \(e)")
      return 1
    }
    let file: ConfigFile
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

  /// Why a configuration file could not be read.
  enum ReadError: Error {
    case system(Errno)
    /// Over `maxConfigSize`: refused without reading it all.
    case tooLarge
  }

  /// The largest configuration accepted: room for the kernel's 2^20 peers with a few
  /// allowed IPs each, far beyond any real file.
  static let maxConfigSize = 512 << 20

  /// The whole file (pipes and /dev/stdin included); an open failure is fopen's errno.
  /// A read error ends the text, as getline's failure ends wg's loop. A regular file over
  /// `maxConfigSize` is refused from its size alone; a pipe once it has sent that much.
  static func readFile(_ path: String) -> Result<[UInt8], ReadError> {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return .failure(.system(Errno.current)) }
    defer { close(fd) }
    var st = stat()
    if fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG && st.st_size > maxConfigSize {
      return .failure(.tooLarge)
    }
    var bytes: [UInt8] = []
    if (st.st_mode & S_IFMT) == S_IFREG && st.st_size > 0 {
      bytes.reserveCapacity(Int(st.st_size))
    }
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { break }
      if bytes.count + n > maxConfigSize { return .failure(.tooLarge) }
      bytes.append(contentsOf: chunk[0..<n])
    }
    return .success(bytes)
  }
}
