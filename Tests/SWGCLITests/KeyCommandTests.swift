import Glibc
import SWGCore
import Testing
@testable import SWGCLI

/// Runs a key command with `input` on stdin (through a pipe).
func keyCommand(_ words: [String], input: [UInt8]) -> Run {
  var fds: [Int32] = [0, 0]
  guard pipe(&fds) == 0 else { return Run(status: -1, out: "", err: "pipe") }
  _ = input.withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) }
  close(fds[1])
  defer { close(fds[0]) }
  var c = CommandContext(programName: "wg", backend: FakeBackend(), stdin: fds[0])
  let status = SWG.run(["wg"] + words, context: &c)
  return Run(status: status, out: c.stdout.text, err: c.stderr.text)
}

@Suite struct KeyCommandTests {
  // RFC 7748 §6.1 Alice.
  let alicePrivate = Key(bytes: [
    0x77, 0x07, 0x6d, 0x0a, 0x73, 0x18, 0xa5, 0x7d, 0x3c, 0x16, 0xc1, 0x72, 0x51, 0xb2, 0x66, 0x45,
    0xdf, 0x4c, 0x2f, 0x87, 0xeb, 0xc0, 0x99, 0x2a, 0xb1, 0x77, 0xfb, 0xa5, 0x1d, 0xb9, 0x2c, 0x2a,
  ])!
  let alicePublic = Key(bytes: [
    0x85, 0x20, 0xf0, 0x09, 0x89, 0x30, 0xa7, 0x54, 0x74, 0x8b, 0x7d, 0xdc, 0xb4, 0x3e, 0xf7, 0x5a,
    0x0d, 0xbf, 0x3a, 0x0d, 0x26, 0x38, 0x1a, 0xf4, 0xeb, 0xa4, 0xa9, 0x8e, 0xaa, 0x9b, 0x4e, 0x6a,
  ])!

  @Test func pubkeyOfKnownKey() {
    for suffix in ["", "\n", " \t\r\n\u{0b}\u{0c}", "\0\0\n"] {
      let r = keyCommand(["pubkey"], input: Array((alicePrivate.base64 + suffix).utf8))
      #expect(r.status == 0 && r.out == alicePublic.base64 + "\n" && r.err == "", "suffix \(Array(suffix.utf8))")
    }
  }

  @Test func pubkeyErrors() {
    let bad = "wg: Key is not the correct length or format\n"
    let key = alicePrivate.base64
    #expect(keyCommand(["pubkey"], input: []).err == bad)
    #expect(keyCommand(["pubkey"], input: Array(key.dropLast().utf8)).err == bad)
    let trailing = keyCommand(["pubkey"], input: Array((key + "\nx").utf8))
    #expect(trailing.status == 1 && trailing.err == "wg: Trailing characters found after key\n" && trailing.out == "")
    // Non-canonical: the last base64 digit has unused low bits set.
    var noncanonical = Array(key.utf8)
    noncanonical[42] = UInt8(ascii: "B")
    #expect(Key(base64Bytes: noncanonical) == nil)
    #expect(keyCommand(["pubkey"], input: noncanonical).err == bad)
    #expect(keyCommand(["pubkey"], input: Array(key.utf8).map { $0 == UInt8(ascii: "=") ? UInt8(ascii: "A") : $0 }).err == bad)
    let usage = keyCommand(["pubkey", "x"], input: [])
    #expect(usage.status == 1 && usage.err == "Usage: wg pubkey\n")
  }

  @Test func genkeyIsClampedBase64() throws {
    for _ in 0..<16 {
      let r = keyCommand(["genkey"], input: [])
      #expect(r.status == 0 && r.out.count == 45 && r.out.hasSuffix("\n"))
      let key = try #require(Key(base64: r.out.dropLast()))
      let b = key.bytes
      #expect(b[0] & 7 == 0 && b[31] & 0x80 == 0 && b[31] & 0x40 != 0)
    }
  }

  @Test func genpskIsNotClamped() throws {
    var sawUnclamped = false
    var seen = Set<String>()
    for _ in 0..<64 {
      let r = keyCommand(["genpsk"], input: [])
      let key = try #require(Key(base64: r.out.dropLast()))
      let b = key.bytes
      if b[0] & 7 != 0 || b[31] & 0xc0 != 0x40 { sawUnclamped = true }
      seen.insert(r.out)
    }
    #expect(sawUnclamped)
    #expect(seen.count == 64)
  }

  @Test func genkeyUsage() {
    #expect(keyCommand(["genkey", "x"], input: []).err == "Usage: wg genkey\n")
    #expect(keyCommand(["genpsk", "x"], input: []).err == "Usage: wg genpsk\n")
  }

  @Test func worldAccessibleWarning() throws {
    let path = "/tmp/swg-cli-test-\(getpid())"
    defer { unlink(path) }
    let fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0o644)
    try #require(fd >= 0)
    defer { close(fd) }
    fchmod(fd, 0o644)
    #expect(KeyCommands.stdoutIsWorldAccessibleFile(fd))
    fchmod(fd, 0o600)
    #expect(!KeyCommands.stdoutIsWorldAccessibleFile(fd))
    var fds: [Int32] = [0, 0]
    try #require(pipe(&fds) == 0)
    #expect(!KeyCommands.stdoutIsWorldAccessibleFile(fds[1]))
    close(fds[0]); close(fds[1])
  }
}
