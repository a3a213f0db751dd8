import Glibc
import SWGCore

/// Reads a whole configuration file (pipes and /dev/stdin included) with a size cap, for
/// `setconf`/`addconf`/`syncconf` and swg-quick.
public enum ConfigFileReader {
  /// Why a configuration file could not be read.
  public enum ReadError: Error, Equatable {
    /// open(2) failed: wg prints it as `fopen: <strerror>`.
    case system(Errno)
    /// Over `maxSize`: refused without reading it all.
    case tooLarge
  }

  /// The largest configuration accepted: room for the kernel's 2^20 peers with a few
  /// allowed IPs each, far beyond any real file.
  public static let maxSize = 512 << 20

  /// The whole file. A read error ends the text, as getline's failure ends wg's loop. A
  /// regular file over `maxSize` is refused from its size alone; a pipe once it has sent
  /// that much. The text may hold private keys: wipe it (`wipe(&bytes)`) once parsed.
  public static func read(_ path: String, maxSize: Int = maxSize) -> Result<[UInt8], ReadError> {
    // The text holds PrivateKey and PresharedKey: every buffer it passes through is zeroed
    // before it is freed (the caller wipes the result once parsed).
    var bytes: [UInt8] = []
    if let size = regularFileSize(path), size <= maxSize { bytes.reserveCapacity(size) }
    let result = forEachChunk(path, maxSize: maxSize) { chunk in
      // A pipe, or a file that grew since: growing must not leave a copy behind.
      appendWipingOldStorage(&bytes, UnsafeRawBufferPointer(chunk))
      return true
    }
    switch result {
    case .success: return .success(bytes)
    case .failure(let e):
      wipe(&bytes)
      return .failure(e)
    }
  }

  private static func regularFileSize(_ path: String) -> Int? {
    var st = stat()
    guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_size > 0 else { return nil }
    return Int(st.st_size)
  }

  /// Hands the file to `body` 64 KiB at a time, as it is read, so it is never held whole
  /// (`setconf` parses while it reads); `body` returns false to stop early. The same cap
  /// and errors as `read`. The chunk buffer is wiped before it is freed.
  public static func forEachChunk(
    _ path: String, maxSize: Int = maxSize, _ body: (UnsafeBufferPointer<UInt8>) -> Bool
  ) -> Result<Void, ReadError> {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return .failure(.system(Errno.current)) }
    defer { close(fd) }
    var st = stat()
    let isRegular = fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    if isRegular && st.st_size > maxSize { return .failure(.tooLarge) }
    let size = 1 << 16
    let chunk = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
    var used = 0
    defer {
      wipe(UnsafeMutableRawBufferPointer(start: chunk, count: used))
      chunk.deallocate()
    }
    var total = 0
    while true {
      let n = Glibc.read(fd, chunk, size)
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { return .success(()) }
      used = max(used, n)
      total += n
      if total > maxSize { return .failure(.tooLarge) }
      if !body(UnsafeBufferPointer(start: chunk, count: n)) { return .success(()) }
    }
  }
}
