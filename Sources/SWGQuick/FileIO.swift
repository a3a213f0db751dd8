import Glibc

/// Reads a small text file whole; nil when it cannot be opened or is larger than `limit`.
public func readSmallFile(_ path: String, limit: Int = 1 << 20) -> String? {
  let fd = open(path, O_RDONLY | O_CLOEXEC)
  guard fd >= 0 else { return nil }
  defer { close(fd) }
  var out: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 16384)
  while true {
    let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    if n < 0 && errno == EINTR { continue }
    guard n >= 0 else { return nil }
    if n == 0 { break }
    out += chunk[0..<n]
    if out.count > limit { return nil }
  }
  return String(decoding: out, as: UTF8.self)
}

/// Writes `text` to `path` atomically: `PATH.tmp` created with mode 0600, written, fsynced,
/// renamed over `path`; the temporary file is removed on any failure.
func writeFileAtomically(_ text: String, to path: String) throws(QuickError) {
  let temporary = path + ".tmp"
  let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
  guard fd >= 0 else { throw .message("Could not write configuration file") }
  // An existing .tmp keeps its old mode through O_CREAT; make sure it is 0600.
  _ = fchmod(fd, 0o600)
  var bytes = Array(text.utf8)[...]
  var ok = true
  while !bytes.isEmpty {
    let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    if n < 0 && errno == EINTR { continue }
    guard n > 0 else {
      ok = false
      break
    }
    bytes = bytes.dropFirst(n)
  }
  if ok && fsync(fd) != 0 { ok = false }
  if close(fd) != 0 { ok = false }
  guard ok else {
    unlink(temporary)
    throw .message("Could not write configuration file")
  }
  guard rename(temporary, path) == 0 else {
    unlink(temporary)
    throw .message("Could not move configuration file")
  }
}
