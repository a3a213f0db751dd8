import Glibc
import SWGCore
import SWGTestSupport
import Testing

@testable import SWGQuick

/// swg-quick's own copies of the private key: the file as read, each parsed line, the
/// WireGuard part kept for `wg addconf`/`strip`, and what `strip` writes, all zeroed.
@Suite struct QuickKeyHygieneTests {
  @Test func stripWipesTheFileItsLinesAndTheOutput() throws {
    let key = Key.generatePrivate()
    let peer = Key.generatePrivate().publicKey
    let text = Array(key.base64.utf8)
    var template = Array("/tmp/swg-quick-hygiene-XXXXXX".utf8CString)
    let dir = try #require(template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }.map { String(cString: $0) })
    defer { _ = rmdir(dir) }
    let path = dir + "/wgh0.conf"
    defer { _ = unlink(path) }
    let config = """
      [Interface]
      PrivateKey = \(key.base64)
      Address = 10.99.0.1/24
      PostUp = true

      [Peer]
      PublicKey = \(peer.base64)
      AllowedIPs = 10.99.0.2/32
      """
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    #expect(fd >= 0)
    _ = config.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
    close(fd)

    // strip prints the WireGuard part to stdout: send it to /dev/null meanwhile.
    fflush(nil)
    let saved = dup(STDOUT_FILENO)
    let null = open("/dev/null", O_WRONLY)
    dup2(null, STDOUT_FILENO)
    let (status, log) = WipeLog.observing { QuickCommand.main(["swg-quick", "strip", path]) }
    dup2(saved, STDOUT_FILENO)
    close(null)
    close(saved)

    #expect(status == 0)
    // The file as read, the `PrivateKey = ...` line, the WireGuard part, the stripped text.
    #expect(log.wipedRegions(holding: text).count >= 4)
  }
}
