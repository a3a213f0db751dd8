import SWGTestSupport
import Foundation
import Glibc
import SWGCore
import Testing

@testable import SWGCLI

/// Runs `words` as main does (stdout to a real descriptor, flushed at the end), with
/// `input` on stdin; returns what was written and the wipes seen.
func runPiped(_ words: [String], input: [UInt8] = [], backend: FakeBackend = FakeBackend())
  -> (status: Int32, out: [UInt8], log: WipeLog)
{
  var inFDs: [Int32] = [0, 0]
  var outFDs: [Int32] = [0, 0]
  guard pipe(&inFDs) == 0, pipe(&outFDs) == 0 else { return (-1, [], WipeLog()) }
  _ = input.withUnsafeBytes { write(inFDs[1], $0.baseAddress, $0.count) }
  close(inFDs[1])
  let (status, log) = WipeLog.observing { () -> Int32 in
    var c = CommandContext(
      programName: "wg", backend: backend, stdout: Output(fd: outFDs[1]), stdin: inFDs[0])
    let status = SWG.run(["wg"] + words, context: &c)
    c.stdout.flush()
    return status
  }
  close(inFDs[0])
  close(outFDs[1])
  var out: [UInt8] = []
  var buf = [UInt8](repeating: 0, count: 4096)
  while true {
    let n = buf.withUnsafeMutableBytes { read(outFDs[0], $0.baseAddress, $0.count) }
    if n <= 0 { break }
    out += buf[0..<n]
  }
  close(outFDs[0])
  return (status, out, log)
}

@Suite struct KeyHygieneTests {
  @Test(arguments: ["genkey", "genpsk"])
  func generatedKeyTextAndBytesAreWiped(_ command: String) throws {
    let r = runPiped([command])
    #expect(r.status == 0 && r.out.count == 45)
    let key = try #require(Key(base64Bytes: r.out.dropLast()))
    // The base64 scratch, the output buffer after its write, and the Key value itself.
    let scratch = r.log.wipedRegions(holding: key.base64)
    #expect(scratch.contains { $0.bytes.count == 44 })
    #expect(scratch.contains { $0.bytes == r.out })
    #expect(r.log.wipedRegions(holding: key.bytes).contains { $0.bytes.count == 32 })
  }

  @Test func pubkeyWipesItsInputAndTheKey() throws {
    let secret = Key.generatePrivate()
    let r = runPiped(["pubkey"], input: Array((secret.base64 + "\n\n").utf8))
    #expect(r.status == 0 && r.out == Array((secret.publicKey.base64 + "\n").utf8))
    let text = r.log.wipedRegions(holding: secret.base64)
    #expect(text.count == 1 && text.first?.bytes.count == 44)
    #expect(r.log.events.contains { $0.stage == .before && $0.bytes == [10, 10] })
    #expect(r.log.wipedRegions(holding: secret.bytes).count == 1)
  }

  @Test func pubkeyWipesOnBadInputToo() {
    let secret = Key.generatePrivate()
    let r = runPiped(["pubkey"], input: Array((secret.base64 + "x").utf8))
    #expect(r.status == 1)
    #expect(r.log.wipedRegions(holding: secret.base64).count == 1)
  }

  @Test func showconfOutputIsWipedAfterItsWrite() throws {
    var device = Device(name: "wg0")
    device.privateKey = Fixtures.priv
    device.peers = [Peer(publicKey: Fixtures.xtib)]
    device.peers[0].presharedKey = Fixtures.psk
    let r = runPiped(["showconf", "wg0"], backend: FakeBackend([device]))
    #expect(r.status == 0)
    let text = String(decoding: r.out, as: UTF8.self)
    #expect(text.contains("PrivateKey = \(Fixtures.priv.base64)\n"))
    // The whole output buffer, keys in it, zeroed once written.
    #expect(r.log.wipedRegions(holding: r.out).count == 1)
    #expect(r.log.wipedRegions(holding: Fixtures.psk.base64).count >= 2)
    // And the device as read, once printed.
    #expect(r.log.wipedRegions(holding: Fixtures.priv.bytes).contains { $0.bytes.count == 32 })
    #expect(r.log.wipedRegions(holding: Fixtures.psk.bytes).contains { $0.bytes.count == 32 })
  }

  @Test(arguments: [
    ["show", "wg0", "private-key"], ["show", "all", "dump"],
    ["show", "wg0", "--json", "--show-keys"],
  ])
  func showWipesTheDeviceOncePrinted(_ words: [String]) throws {
    var device = Device(name: "wg0")
    device.privateKey = Fixtures.priv
    device.peers = [Peer(publicKey: Fixtures.xtib)]
    device.peers[0].presharedKey = Fixtures.psk
    let backend = FakeBackend([device])
    let r = runPiped(words, backend: backend)
    #expect(r.status == 0)
    #expect(String(decoding: r.out, as: UTF8.self).contains(Fixtures.priv.base64))
    #expect(r.log.wipedRegions(holding: Fixtures.priv.bytes).contains { $0.bytes.count == 32 })
    #expect(r.log.wipedRegions(holding: Fixtures.priv.base64).count >= 1)
    // The backend's own copy is untouched (the command zeroed its copy, not a shared one).
    #expect(backend.devices.first?.privateKey == Fixtures.priv)
  }

  @Test func setconfWipesTheConfigurationText() throws {
    let config =
      "[Interface]\nPrivateKey = \(Fixtures.priv.base64)\n[Peer]\nPublicKey = \(Fixtures.xtib.base64)\nPresharedKey = \(Fixtures.psk.base64)\n"
    let path = "/tmp/swg-cli-hygiene-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).conf"
    let fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0o600)
    _ = Array(config.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
    defer { unlink(path) }
    let backend = FakeBackend([Device(name: "wg0")])
    let r = runPiped(["setconf", "wg0", path], backend: backend)
    #expect(r.status == 0)
    #expect(backend.applied.last?.1.privateKey == Fixtures.priv)
    // The read chunk, zeroed whole in place: the file is parsed as it is read, never held
    // whole anywhere else.
    let whole = r.log.wipedRegions(holding: Array(config.utf8))
    #expect(whole.filter { $0.bytes.count == config.utf8.count }.count == 1)
    // The parser's line buffer, last holding the stripped PresharedKey line.
    #expect(!r.log.wipedRegions(holding: Array("PresharedKey=\(Fixtures.psk.base64)".utf8)).isEmpty)
    // The parsed keys too (the file's and the change's; the fake backend keeps its copy).
    #expect(r.log.wipedRegions(holding: Fixtures.priv.bytes).contains { $0.bytes.count == 32 })
    #expect(r.log.wipedRegions(holding: Fixtures.psk.bytes).contains { $0.bytes.count == 32 })
  }
}
