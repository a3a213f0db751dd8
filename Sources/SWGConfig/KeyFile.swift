import Glibc
import SWGCore

extension ConfigValue {
  /// Most whitespace accepted after the key in a key file; wg reads on forever, we stop here.
  static let keyFileTrailingLimit = 1 << 20

  /// Reads a key file as `wg set … private-key FILE` and `preshared-key FILE` do: exactly 44
  /// characters of base64, then only whitespace. An empty file (or `/dev/null`) gives the
  /// all-zero key, which removes the key.
  public static func keyFile(path: String) throws(ConfigError) -> Key {
    try keyFile(path: Array(path.utf8))
  }

  public static func keyFile(path: [UInt8]) throws(ConfigError) -> Key {
    let pathC = cString(path)
    var fd: Int32
    repeat {
      fd = open(pathC, O_RDONLY | O_CLOEXEC)
    } while fd < 0 && errno == EINTR
    guard fd >= 0 else { throw .keyFileOpen(.current) }
    defer { close(fd) }

    // Both buffers may hold key text: zeroed on every way out.
    var text = [UInt8](repeating: 0, count: 44)
    var rest = [UInt8](repeating: 0, count: 4096)
    var restUsed = 0
    defer {
      wipe(&text)
      wipe(&rest, prefix: restUsed)
    }
    var got = 0
    var failed = false
    while got < 44 {
      let n = text.withUnsafeMutableBytes { read(fd, $0.baseAddress.map { $0 + got }, 44 - got) }
      if n < 0 && errno == EINTR { continue }
      if n < 0 {
        failed = true
        break
      }
      if n == 0 { break }
      got += n
    }
    if got < 44 {
      // Nothing at all (and no error) is /dev/null or an empty file: the zero key.
      if got == 0 && !failed { return Key.zero }
      throw .keyFileLength
    }

    var seen = 0
    while true {
      let n = rest.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      if n < 0 { throw .keyFileRead(.current) }
      if n == 0 { break }
      restUsed = max(restUsed, n)
      for c in rest[..<n] where !isSpace(c) { throw .keyFileTrailingCharacter(c) }
      seen += n
      if seen > keyFileTrailingLimit { throw .keyFileLength }
    }
    return try key(text)
  }
}
