import Foundation
import SWGConfig
import SWGCore
import Testing

func expectError<T>(
  _ expected: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> T
) {
  do {
    let value = try body()
    Issue.record("expected error \(expected), got \(value)", sourceLocation: sourceLocation)
  } catch let error as ConfigError {
    #expect(error.description == expected, sourceLocation: sourceLocation)
  } catch {
    Issue.record("unexpected error type \(error)", sourceLocation: sourceLocation)
  }
}

@Suite struct PortTests {
  @Test(
    arguments: [("51820", 51820), ("0", 0), ("65535", 65535), ("1", 1), ("00080", 80)]
      as [(String, UInt16)])
  func numbers(_ text: String, _ port: UInt16) throws {
    #expect(try ConfigValue.port(text) == port)
  }

  @Test func glibcWrapsLargeNumbers() throws {
    #expect(try ConfigValue.port("99999") == 34463)
    #expect(try ConfigValue.port("65536") == 0)
    #expect(try ConfigValue.port("70000") == 4464)
  }

  static let hasServices =
    (try? String(contentsOfFile: "/etc/services", encoding: .utf8))?.contains("domain") ?? false

  @Test(.enabled(if: hasServices, "/etc/services does not list `domain'"))
  func serviceNamesResolveFromServices() throws {
    #expect(try ConfigValue.port("domain") == 53)
  }

  @Test func errors() {
    expectError("Unable to parse empty port") { try ConfigValue.port("") }
    expectError("Servname not supported for ai_socktype: `abc'") { try ConfigValue.port("abc") }
    expectError("Servname not supported for ai_socktype: `1 2'") { try ConfigValue.port("1 2") }
  }
}

@Suite struct FwmarkTests {
  @Test(
    arguments: [
      ("off", 0), ("OFF", 0), ("Off", 0), ("0", 0), ("010", 10), ("0x10", 16), ("0xCa6C", 0xca6c),
      ("4294967295", 0xffff_ffff), ("0xffffffff", 0xffff_ffff), ("0x00000001", 1),
    ] as [(String, UInt32)])
  func accepted(_ text: String, _ mark: UInt32) throws {
    #expect(try ConfigValue.fwmark(text) == mark)
  }

  @Test(arguments: [
    "", "x", "-1", "+1", " 1", "0X10", "0x", "0x-1", "0x1ffffffff", "4294967296", "1.0", "offf",
    "0xg", "99999999999999999999999",
  ])
  func rejected(_ text: String) {
    expectError("Fwmark is neither 0/off nor 0-0xffffffff: `\(text)'") {
      try ConfigValue.fwmark(text)
    }
  }
}

@Suite struct PersistentKeepaliveTests {
  @Test(
    arguments: [("off", 0), ("oFF", 0), ("0", 0), ("25", 25), ("65535", 65535), ("025", 25)]
      as [(String, UInt16)])
  func accepted(_ text: String, _ seconds: UInt16) throws {
    #expect(try ConfigValue.persistentKeepalive(text) == seconds)
  }

  @Test(arguments: ["", "65536", "70000", "-1", "+5", "0x19", "25s", "of", " 25"])
  func rejected(_ text: String) {
    expectError("Persistent keepalive interval is neither 0/off nor 1-65535: `\(text)'") {
      try ConfigValue.persistentKeepalive(text)
    }
  }
}

@Suite struct KeyValueTests {
  @Test func base64Keys() throws {
    let key = try ConfigValue.key(TestKeys.privateText)
    #expect(key.base64 == TestKeys.privateText)
    expectError("Key is not the correct length or format: `abc'") { try ConfigValue.key("abc") }
    expectError("Key is not the correct length or format: `'") { try ConfigValue.key("") }
    let noncanonical = String(TestKeys.privateText.dropLast(2)) + "t="
    expectError("Key is not the correct length or format: `\(noncanonical)'") {
      try ConfigValue.key(noncanonical)
    }
  }
}

@Suite struct EndpointTests {
  @Test func numericEndpoints() throws {
    #expect(try ConfigValue.endpoint("127.0.0.1:51820").description == "127.0.0.1:51820")
    #expect(try ConfigValue.endpoint("[::1]:51820").description == "[::1]:51820")
    #expect(try ConfigValue.endpoint("[fe80::1%lo]:51820").description == "[fe80::1%lo]:51820")
    // Without brackets the split is at the last colon.
    #expect(try ConfigValue.endpoint("::1:51820").description == "[::1]:51820")
    // The port wraps as listen ports do.
    #expect(try ConfigValue.endpoint("127.0.0.1:99999").port == 34463)
  }

  @Test func localHostnameResolves() throws {
    // localhost comes from /etc/hosts: no packet leaves the machine.
    let e = try ConfigValue.endpoint("localhost:1234", retries: 0)
    #expect(e.port == 1234)
    #expect(e.description == "127.0.0.1:1234" || e.description == "[::1]:1234")
  }

  @Test func syntaxErrors() {
    expectError("Unable to parse empty endpoint") { try ConfigValue.endpoint("", retries: 0) }
    expectError("Unable to find port of endpoint: `1.2.3.4'") {
      try ConfigValue.endpoint("1.2.3.4", retries: 0)
    }
    expectError("Unable to find port of endpoint: `1.2.3.4:'") {
      try ConfigValue.endpoint("1.2.3.4:", retries: 0)
    }
    expectError("Unable to find matching brace of endpoint: `[::1'") {
      try ConfigValue.endpoint("[::1", retries: 0)
    }
    expectError("Unable to find port of endpoint: `[::1]'") {
      try ConfigValue.endpoint("[::1]", retries: 0)
    }
    expectError("Unable to find port of endpoint: `[::1]:'") {
      try ConfigValue.endpoint("[::1]:", retries: 0)
    }
    expectError("Unable to find port of endpoint: `[::1]1'") {
      try ConfigValue.endpoint("[::1]1", retries: 0)
    }
  }

  @Test func transientFailuresAreRetriedWithWgsBackoffAndMessage() {
    // A bad service name is EAI_SERVICE, which wg treats as transient.
    var warnings: [ConfigWarning] = []
    expectError("Servname not supported for ai_socktype: `127.0.0.1:nosuchservice'") {
      try ConfigValue.endpoint("127.0.0.1:nosuchservice", retries: 1) { warnings.append($0) }
    }
    #expect(
      warnings.map(\.description) == [
        "Servname not supported for ai_socktype: `127.0.0.1:nosuchservice'. Trying again in 1.00 seconds..."
      ])
  }

  @Test func retryWarningTextFollowsWgsSchedule() {
    // wg's schedule: 1 s, then ×6/5 in whole microseconds, capped at 20 s (observed texts).
    var delay: UInt32 = 1_000_000
    var texts: [String] = []
    for _ in 0..<20 {
      texts.append(
        ConfigWarning.endpointRetry(reason: "r", value: "v", delayMicroseconds: delay).description)
      delay = min(20_000_000, UInt32(UInt64(delay) * 6 / 5))
    }
    let seconds = texts.map { $0.split(separator: " ")[5] }
    #expect(
      seconds.prefix(15) == [
        "1.00", "1.20", "1.44", "1.73", "2.07", "2.49", "2.99", "3.58", "4.30", "5.16", "6.19",
        "7.43", "8.92", "10.70", "12.84",
      ])
    #expect(seconds.last == "20.00")
    #expect(texts[0] == "r: `v'. Trying again in 1.00 seconds...")
  }

  @Test func resolutionRetriesFromEnvironment() throws {
    #expect(try ConfigValue.resolutionRetries(fromEnvironment: nil) == 15)
    #expect(try ConfigValue.resolutionRetries(fromEnvironment: "infinity") == -1)
    #expect(try ConfigValue.resolutionRetries(fromEnvironment: "0") == 0)
    #expect(try ConfigValue.resolutionRetries(fromEnvironment: "2147483647") == Int(Int32.max))
    #expect(try ConfigValue.resolutionRetries(fromEnvironment: " 7") == 7)
    #expect(try ConfigValue.resolutionRetries(fromEnvironment: "") == 0)
    for bad in ["2147483648", "-1", "x", "5x", "Infinity", " ", "-"] {
      expectError("Unable to parse WG_ENDPOINT_RESOLUTION_RETRIES: `\(bad)'") {
        try ConfigValue.resolutionRetries(fromEnvironment: bad)
      }
    }
  }
}

@Suite struct AllowedIPListTests {
  @Test func defaultsAndPrefixes() throws {
    let list = try ConfigValue.allowedIPs("10.0.0.1,fd00::1,10.0.0.0/8,::/0,0.0.0.0/0")
    #expect(
      list.entries.map(\.description) == [
        "10.0.0.1/32", "fd00::1/128", "10.0.0.0/8", "::/0", "0.0.0.0/0",
      ])
    #expect(list.replacesExisting)
    #expect(list.entries.allSatisfy { !$0.remove })
  }

  @Test func emptyListReplacesWithNothing() throws {
    let list = try ConfigValue.allowedIPs("")
    #expect(list.entries.isEmpty)
    #expect(list.replacesExisting)
  }

  @Test func plusAndMinusMakeTheListIncremental() throws {
    let list = try ConfigValue.allowedIPs("+10.9.0.0/24,-10.0.0.2/32,10.8.0.0/16")
    #expect(list.entries.map(\.description) == ["10.9.0.0/24", "-10.0.0.2/32", "10.8.0.0/16"])
    #expect(!list.replacesExisting)
    #expect(try !ConfigValue.allowedIPs("10.0.0.0/8,+10.1.0.0/16").replacesExisting)
  }

  @Test func hostBitsWarnWithTheTextAsWritten() throws {
    var warnings: [String] = []
    let list = try ConfigValue.allowedIPs("10.0.0.1/24,fd00::1/64,10.0.0.0/024") {
      warnings.append($0.description)
    }
    #expect(
      warnings == [
        "Warning: AllowedIP has nonzero host part: 10.0.0.1/24",
        "Warning: AllowedIP has nonzero host part: fd00::1/64",
      ])
    // The address is kept as written; the kernel masks it.
    #expect(list.entries.map(\.description) == ["10.0.0.1/24", "fd00::1/64", "10.0.0.0/24"])
  }

  @Test func errors() {
    expectError("Unable to parse IP address: `10.0.0.x'") {
      try ConfigValue.allowedIPs("10.0.0.x/24")
    }
    expectError("AllowedIP is not in the correct format: `10.0.0.1/33'") {
      try ConfigValue.allowedIPs("10.0.0.1/33")
    }
    expectError("AllowedIP is not in the correct format: `10.0.0.1/33'") {
      try ConfigValue.allowedIPs("-10.0.0.1/33")
    }
    expectError("Unable to parse IP address: `'") { try ConfigValue.allowedIPs(",") }
  }

  @Test func whitespaceIsDeletedFirst() throws {
    let list = try ConfigValue.allowedIPs(" 10.0.0.0 / 8 ,\tfd00::/6\n4 ")
    #expect(list.entries.map(\.description) == ["10.0.0.0/8", "fd00::/64"])
  }
}

@Suite struct KeyFileTests {
  @Test func exactKeyWithTrailingWhitespace() throws {
    let dir = try TempDir()
    for suffix in ["", "\n", " \t\r\n\u{0B}\u{0C}  \n"] {
      let path = try dir.write("k", TestKeys.pskText + suffix)
      #expect(try ConfigValue.keyFile(path: path).base64 == TestKeys.pskText)
    }
  }

  @Test func emptyFileAndDevNullGiveTheZeroKey() throws {
    let dir = try TempDir()
    #expect(try ConfigValue.keyFile(path: "/dev/null") == Key.zero)
    #expect(try ConfigValue.keyFile(path: try dir.write("empty", "")) == Key.zero)
  }

  @Test func errorsMatchWg() throws {
    let dir = try TempDir()
    expectError("fopen: No such file or directory") {
      try ConfigValue.keyFile(path: dir.path + "/missing")
    }
    let short = try dir.write("short", "abc\n")
    expectError("Invalid length key in key file") { try ConfigValue.keyFile(path: short) }
    let whitespaceOnly = try dir.write("ws", "\n")
    expectError("Invalid length key in key file") { try ConfigValue.keyFile(path: whitespaceOnly) }
    let trailing = try dir.write("trailing", TestKeys.pskText + "\nx")
    expectError("Found trailing character in key file: `x'") {
      try ConfigValue.keyFile(path: trailing)
    }
    let long = try dir.write("long", TestKeys.pskText + "A")
    expectError("Found trailing character in key file: `A'") { try ConfigValue.keyFile(path: long) }
    let bad = try dir.write("bad", String(repeating: "!", count: 44))
    expectError("Key is not the correct length or format: `\(String(repeating: "!", count: 44))'") {
      try ConfigValue.keyFile(path: bad)
    }
    let nul = try dir.write("nul", Array("abc".utf8) + [0] + [UInt8](repeating: 65, count: 40))
    expectError("Key is not the correct length or format: `abc'") {
      try ConfigValue.keyFile(path: nul)
    }
    // A directory opens but cannot be read.
    expectError("Invalid length key in key file") { try ConfigValue.keyFile(path: dir.path) }
  }

  @Test func endlessWhitespaceIsCapped() throws {
    let dir = try TempDir()
    let path = try dir.write(
      "huge", Array(TestKeys.pskText.utf8) + [UInt8](repeating: 0x20, count: 2 << 20))
    expectError("Invalid length key in key file") { try ConfigValue.keyFile(path: path) }
  }

  @Test(.enabled(if: Oracle.wgAvailable, "wg (wireguard-tools) is not installed"))
  func realWgAgreesOnKeyFileErrors() throws {
    let dir = try TempDir()
    let files: [(String, [UInt8])] = [
      ("short", Array("abc\n".utf8)), ("trailing", Array((TestKeys.pskText + "\n#").utf8)),
      ("bad", Array(String(repeating: "!", count: 44).utf8)), ("ws", Array("  \n".utf8)),
      ("high", Array((TestKeys.pskText + "\n").utf8) + [0xff]),
      ("badhigh", [0xc3] + Array(TestKeys.pskText.utf8.dropFirst())),
    ]
    for (name, bytes) in files {
      let path = try dir.write(name, bytes)
      let wg = try Oracle.wgSet(["peer", TestKeys.publicText, "preshared-key", path])
      var ours: [UInt8] = []
      do { _ = try ConfigValue.keyFile(path: path) } catch { ours = error.message + [10] }
      #expect(wg.stderr == ours, "\(name): \(wg.stderrText)")
    }
  }
}
