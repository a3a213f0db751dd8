import Foundation
import SWGCore
import Testing

/// The real wg, if installed: the oracle for public keys.
enum WgOracle {
  static let path = "/usr/bin/wg"
  static var available: Bool { FileManager.default.isExecutableFile(atPath: path) }

  /// Runs `wg pubkey` once per line of input (in one shell, to keep it fast).
  static func publicKeys(of privateKeys: [String]) throws -> [String] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = [
      "-c", "while read -r k; do printf '%s\\n' \"$k\" | \(path) pubkey || echo FAIL; done",
    ]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    input.fileHandleForWriting.write(Data(privateKeys.map { $0 + "\n" }.joined().utf8))
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
  }
}

@Suite struct PublicKeyOracleTests {
  @Test(
    .enabled(
      if: WgOracle.available, "wg (wireguard-tools) is not installed: no oracle to compare with"))
  func publicKeysAgreeWithWgPubkey() throws {
    var rng = SplitMix64(seed: 5)
    var keys: [Key] = []
    for i in 0..<256 {
      var key = try #require(Key(bytes: randomBytes(32, using: &rng)))
      if i % 2 == 0 { key.clamp() }  // half clamped, half not: wg pubkey clamps itself
      keys.append(key)
    }
    // Edge scalars: all zeros, all ones, only bits that clamping changes plus one more.
    keys.append(Key.zero)
    keys.append(try #require(Key(bytes: [UInt8](repeating: 0xff, count: 32))))
    keys.append(try #require(Key(bytes: [7, 1] + [UInt8](repeating: 0, count: 29) + [0x80])))
    let expected = try WgOracle.publicKeys(of: keys.map(\.base64))
    try #require(expected.count == keys.count)
    for (key, wgText) in zip(keys, expected) {
      #expect(key.publicKey.base64 == wgText)
    }
    #expect(Set(expected).count == expected.count)
  }

  @Test func unclampedAndClampedScalarsGiveTheSamePublicKey() throws {
    var rng = SplitMix64(seed: 6)
    for _ in 0..<50 {
      let raw = try #require(Key(bytes: randomBytes(32, using: &rng)))
      var clamped = raw
      clamped.clamp()
      #expect(raw.publicKey == clamped.publicKey)
    }
  }

  @Test func rfc7748TestVector() throws {
    // RFC 7748 §6.1: Alice's private key and public key.
    let alice = try #require(
      Key(hex: "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"))
    #expect(
      alice.publicKey.hex == "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")
  }
}
