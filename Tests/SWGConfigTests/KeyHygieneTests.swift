import SWGTestSupport
import Foundation
import Glibc
import SWGCore
import Testing

@testable import SWGConfig

/// Key files and configuration files: every buffer that held the key text is zeroed.
@Suite struct KeyHygieneTests {
  func tempFile(_ bytes: [UInt8]) -> String {
    let path = "/tmp/swg-hygiene-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0o600)
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
    return path
  }

  @Test func keyFileTextIsWiped() throws {
    let key = Key.generatePrivate()
    let path = tempFile(Array((key.base64 + "\n  \n").utf8))
    defer { unlink(path) }
    let (read, log) = try WipeLog.observing { try ConfigValue.keyFile(path: path) }
    #expect(read == key)
    // The 44-byte text buffer, zeroed in place.
    let text = log.wipedRegions(holding: key.base64)
    #expect(text.count == 1)
    #expect(text.first?.bytes.count == 44)
    // The trailing-whitespace buffer: only what was read into it.
    #expect(log.events.contains { $0.stage == .before && $0.bytes == Array("\n  \n".utf8) })
  }

  @Test func keyFileTextIsWipedOnErrorsToo() {
    let key = Key.generatePrivate()
    let secondKey = Key.generatePrivate()
    let path = tempFile(Array((key.base64 + " " + secondKey.base64).utf8))
    defer { unlink(path) }
    let (error, log) = WipeLog.observing { () -> ConfigError? in
      do throws(ConfigError) {
        _ = try ConfigValue.keyFile(path: path)
        return nil
      } catch { return error }
    }
    #expect(error == .keyFileTrailingCharacter(secondKey.base64.utf8.first ?? 0))
    #expect(log.wipedRegions(holding: key.base64).count == 1)
    #expect(log.wipedRegions(holding: secondKey.base64).count == 1)
  }

  @Test func configFileReadWipesItsChunkAndGrowth() throws {
    let key = Key.generatePrivate()
    let config = "[Interface]\nPrivateKey = \(key.base64)\n"
    let path = tempFile(Array(config.utf8))
    defer { unlink(path) }
    let (result, log) = WipeLog.observing { ConfigFileReader.read(path) }
    var bytes = try result.get()
    #expect(bytes == Array(config.utf8))
    // The read chunk, only as far as it was used; the result is the caller's to wipe.
    let chunk = log.wipedRegions(holding: key.base64)
    #expect(chunk.count == 1 && chunk.first?.bytes.count == config.utf8.count)
    let (_, callerLog) = WipeLog.observing { wipe(&bytes) }
    #expect(callerLog.wipedRegions(holding: key.base64).count == 1)
    #expect(bytes.allSatisfy { $0 == 0 })
  }

  @Test func configFromAPipeLeavesNoUnwipedGrowthBehind() throws {
    let key = Key.generatePrivate()
    // Over one 64 KiB read, so the buffer grows while the key is in it.
    let config =
      "[Interface]\nPrivateKey = \(key.base64)\n" + String(repeating: "# pad\n", count: 40_000)
    var fds: [Int32] = [0, 0]
    try #require(pipe(&fds) == 0)
    let writeEnd = fds[1]
    let writer = Thread {
      _ = Array(config.utf8).withUnsafeBytes { raw in
        var off = 0
        while off < raw.count {
          let n = write(writeEnd, raw.baseAddress.map { $0 + off }, raw.count - off)
          if n <= 0 { break }
          off += n
        }
      }
      close(writeEnd)
    }
    writer.start()
    defer { close(fds[0]) }
    let (result, log) = WipeLog.observing { ConfigFileReader.read("/proc/self/fd/\(fds[0])") }
    let bytes = try result.get()
    #expect(bytes == Array(config.utf8))
    // The first chunk (key in it) and every outgrown copy of the text were wiped.
    #expect(log.wipedRegions(holding: key.base64).count >= 2)
    let grown = log.wipedRegions(holding: "[Interface]\nPrivateKey = \(key.base64)")
    #expect(grown.count >= 1)
  }

  @Test func refusedPipeIsWiped() throws {
    let key = Key.generatePrivate()
    let config = "[Interface]\nPrivateKey = \(key.base64)\n"
    var fds: [Int32] = [0, 0]
    try #require(pipe(&fds) == 0)
    _ = Array(config.utf8).withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) }
    close(fds[1])
    defer { close(fds[0]) }
    let (result, log) = WipeLog.observing {
      ConfigFileReader.read("/proc/self/fd/\(fds[0])", maxSize: 30)
    }
    #expect(result == .failure(.tooLarge))
    #expect(log.wipedRegions(holding: key.base64).count == 1)  // the chunk
  }
}
