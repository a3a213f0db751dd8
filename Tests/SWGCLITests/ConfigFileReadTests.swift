import Glibc
import SWGCore
import Testing

import SWGConfig

@Suite struct ConfigFileReadTests {
  /// A sparse file one byte over the limit: refused from its size, without reading it.
  @Test func oversizedRegularFileIsRefused() throws {
    let path = "/tmp/swg-oversized-\(getpid()).conf"
    let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
    try #require(fd >= 0)
    defer { unlink(path) }
    #expect(ftruncate(fd, off_t(ConfigFileReader.maxSize + 1)) == 0)
    close(fd)
    guard case .failure(.tooLarge) = ConfigFileReader.read(path) else {
      Issue.record("an oversized file was read")
      return
    }
  }

  @Test func fileAtTheLimitIsRead() throws {
    let path = "/tmp/swg-small-\(getpid()).conf"
    let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
    try #require(fd >= 0)
    defer { unlink(path) }
    let text = Array("[Interface]\nListenPort = 1\n".utf8)
    #expect(write(fd, text, text.count) == text.count)
    close(fd)
    guard case .success(let bytes) = ConfigFileReader.read(path) else {
      Issue.record("a small file was refused")
      return
    }
    #expect(bytes == text)
  }

  @Test func missingFileGivesErrno() {
    guard case .failure(.system(let e)) = ConfigFileReader.read("/nonexistent/swg.conf") else {
      Issue.record("a missing file was read")
      return
    }
    #expect(e == Errno(ENOENT))
  }
}
