import Glibc
import SWGCore

/// `wg genkey`, `wg genpsk` and `wg pubkey` (`genkey.c`, `pubkey.c`).
enum KeyCommands {
  static func genkey(_ c: inout CommandContext, _ args: [String]) -> Int32 {
    guard args.count == 1 else {
      c.error("Usage: \(c.programName) \(args.first ?? "genkey")")
      return 1
    }
    if stdoutIsWorldAccessibleFile(c.stdout.fd) {
      c.error("Warning: writing to world accessible file.\nConsider setting the umask to 077 and trying again.")
    }
    var key = args[0] == "genkey" ? Key.generatePrivate() : Key.generatePreshared()
    defer { key.wipe() }
    // Written at once: flush zeroes the output buffer that held the text.
    c.stdout.append(key: key)
    c.stdout.append(byte: 10)
    c.stdout.flush()
    return 0
  }

  /// True when fd is a regular file that others may read, write or execute.
  static func stdoutIsWorldAccessibleFile(_ fd: Int32) -> Bool {
    guard fd >= 0 else { return false }
    var st = stat()
    guard fstat(fd, &st) == 0 else { return false }
    return (st.st_mode & S_IFMT) == S_IFREG && (st.st_mode & S_IRWXO) != 0
  }

  static func pubkey(_ c: inout CommandContext, _ args: [String]) -> Int32 {
    guard args.count == 1 else {
      c.error("Usage: \(c.programName) \(args[0])")
      return 1
    }
    let badKey = "\(c.programName): Key is not the correct length or format"
    // The private key's text and anything read after it: zeroed however this ends.
    var text = [UInt8](repeating: 0, count: 44)
    var chunk = [UInt8](repeating: 0, count: 4096)
    var chunkUsed = 0
    defer {
      wipe(&text)
      wipe(&chunk, prefix: chunkUsed)
    }
    guard readFully(c.stdin, into: &text) else {
      c.error(badKey)
      return 1
    }
    // Anything after the 44 characters must be whitespace or NUL, to the end of input.
    while true {
      let n = chunk.withUnsafeMutableBytes { read(c.stdin, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { break }
      chunkUsed = max(chunkUsed, n)
      for b in chunk[0..<n] where !(b == 0 || isSpace(b)) {
        c.error("\(c.programName): Trailing characters found after key")
        return 1
      }
    }
    guard var key = Key(base64Bytes: text) else {
      c.error(badKey)
      return 1
    }
    defer { key.wipe() }
    c.stdout.append(key: key.publicKey)
    c.stdout.append(byte: 10)
    return 0
  }

  /// Space, \t, \n, \v, \f, \r (wg's char_is_space).
  @inline(__always)
  static func isSpace(_ b: UInt8) -> Bool { b == 32 || (b >= 9 && b <= 13) }

  /// Reads exactly buffer.count bytes, as fread does; false on early end of input.
  static func readFully(_ fd: Int32, into buffer: inout [UInt8]) -> Bool {
    var got = 0
    let want = buffer.count
    while got < want {
      let n = buffer.withUnsafeMutableBytes { raw in
        read(fd, raw.baseAddress.map { $0 + got }, want - got)
      }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { return false }
      got += n
    }
    return true
  }
}
