import SWGCore
import Testing

/// Plain, branchy base64 decoder used as the reference for the constant-time one.
func referenceBase64Decode(_ text: [UInt8]) -> [UInt8]? {
  guard text.count == 44, text[43] == UInt8(ascii: "=") else { return nil }
  func value(_ c: UInt8) -> UInt32? {
    switch c {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"): return UInt32(c - UInt8(ascii: "A"))
    case UInt8(ascii: "a")...UInt8(ascii: "z"): return UInt32(c - UInt8(ascii: "a") + 26)
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c - UInt8(ascii: "0") + 52)
    case UInt8(ascii: "+"): return 62
    case UInt8(ascii: "/"): return 63
    default: return nil
    }
  }
  var out: [UInt8] = []
  var acc: UInt32 = 0
  var n = 0
  for c in text[..<43] {
    guard let v = value(c) else { return nil }
    acc = (acc << 6 | v) & 0xffff
    n += 6
    if n >= 8 {
      n -= 8
      out.append(UInt8((acc >> UInt32(n)) & 0xff))
    }
  }
  // 43 * 6 = 258 bits: 32 bytes, then 2 bits that must be zero (canonical form).
  guard out.count == 32, acc & 3 == 0 else { return nil }
  return out
}

func referenceHexDecode(_ text: [UInt8]) -> [UInt8]? {
  guard text.count == 64 else { return nil }
  func value(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
    default: return nil
    }
  }
  var out: [UInt8] = []
  for i in stride(from: 0, to: 64, by: 2) {
    guard let h = value(text[i]), let l = value(text[i + 1]) else { return nil }
    out.append(h << 4 | l)
  }
  return out
}

func randomBytes(_ count: Int, using rng: inout SplitMix64) -> [UInt8] {
  (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
}

/// A deterministic generator so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

@Suite struct KeyCodingTests {
  @Test func base64AndHexRoundTripOnRandomKeys() throws {
    var rng = SplitMix64(seed: 1)
    for _ in 0..<1000 {
      let bytes = randomBytes(32, using: &rng)
      let key = try #require(Key(bytes: bytes))
      #expect(key.bytes == bytes)
      #expect(key.base64.utf8.count == 44)
      #expect(Key(base64: key.base64) == key)
      #expect(key.hex.utf8.count == 64)
      #expect(Key(hex: key.hex) == key)
      #expect(Key(hex: key.hex.uppercased()) == key)
      #expect(referenceBase64Decode(Array(key.base64.utf8)) == bytes)
    }
  }

  @Test func knownVectors() throws {
    #expect(Key.zero.base64 == "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
    #expect(Key.zero.hex == String(repeating: "0", count: 64))
    let ff = try #require(Key(bytes: [UInt8](repeating: 0xff, count: 32)))
    #expect(ff.base64 == "//////////////////////////////////////////8=")
    let seq = try #require(Key(bytes: (0..<32).map { UInt8($0) }))
    #expect(seq.base64 == "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
    #expect(seq.hex == "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
  }

  @Test func nonCanonicalBase64IsRejected() {
    // The last character's two low bits fall off the end of the 32 bytes: they must be zero.
    let canonical = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
    #expect(Key(base64: canonical) != nil)
    #expect(Key(base64: String(canonical.dropLast(2)) + "E=") != nil)
    for last in ["B", "C", "D", "F", "/"] {
      let text = String(canonical.dropLast(2)) + last + "="
      #expect(Key(base64: text) == nil, "accepted \(text)")
    }
  }

  @Test(arguments: [
    "", "AAAA", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",  // 43
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",  // 45
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",  // no padding
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",  // two pads
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA AAA=",  // space
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-AAA=",  // url-safe alphabet
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA_AAA=",
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
    "=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
  ])
  func malformedBase64IsRejected(_ text: String) {
    #expect(Key(base64: text) == nil)
  }

  @Test func constantTimeBase64AgreesWithReferenceOnRandomInput() {
    var rng = SplitMix64(seed: 2)
    var accepted = 0
    for round in 0..<20000 {
      var text: [UInt8] = (0..<43).map { _ in
        Int.random(in: 0..<1000, using: &rng) < 998
          ? base64Alphabet[Int.random(in: 0..<64, using: &rng)]
          : UInt8.random(in: 0...255, using: &rng)
      }
      text.append(Int.random(in: 0..<50, using: &rng) == 0 ? UInt8(ascii: "A") : UInt8(ascii: "="))
      if round % 7 == 0 { text.removeLast(Int.random(in: 0...2, using: &rng)) }
      let expected = referenceBase64Decode(text)
      #expect(Key(base64Bytes: text)?.bytes == expected, "input \(text)")
      if expected != nil { accepted += 1 }
    }
    // Both outcomes must be common for the comparison to mean anything.
    #expect(accepted > 1000)
    #expect(accepted < 19000)
  }

  @Test func constantTimeHexAgreesWithReferenceOnRandomInput() {
    var rng = SplitMix64(seed: 3)
    let alphabet = Array("0123456789abcdefABCDEF".utf8)
    var accepted = 0
    for _ in 0..<20000 {
      var text: [UInt8] = (0..<64).map { _ in
        Int.random(in: 0..<1000, using: &rng) < 995
          ? alphabet[Int.random(in: 0..<alphabet.count, using: &rng)]
          : UInt8.random(in: 0...255, using: &rng)
      }
      if Int.random(in: 0..<20, using: &rng) == 0 { text.removeLast() }
      let expected = referenceHexDecode(text)
      #expect(Key(hexBytes: text)?.bytes == expected, "input \(text)")
      if expected != nil { accepted += 1 }
    }
    #expect(accepted > 1000)
    #expect(accepted < 19000)
  }

  @Test func descriptionNeverShowsTheKey() throws {
    var rng = SplitMix64(seed: 4)
    let key = try #require(Key(bytes: randomBytes(32, using: &rng)))
    let secrets = [key.base64, key.hex, String(key.base64.prefix(12)), String(key.hex.prefix(12))]
    var dumped = ""
    dump(key, to: &dumped)
    let mirror = Mirror(reflecting: key).children.map { "\($0.label ?? ""):\($0.value)" }
    let renderings = [
      key.description, key.debugDescription, "\(key)", String(describing: key),
      String(reflecting: key), "\([key])", "\(Optional(key) as Any)", dumped, "\(mirror)",
    ]
    for text in renderings {
      for secret in secrets { #expect(!text.contains(secret), "leaked in \(text)") }
      #expect(!text.contains("w0"), "stored words visible in \(text)")
    }
    #expect(key.description == "Key(redacted)")
  }

  @Test func clampAndByteOrder() throws {
    var key = try #require(Key(bytes: [UInt8](repeating: 0xff, count: 32)))
    key.clamp()
    #expect(key.bytes[0] == 0xf8)
    #expect(key.bytes[31] == 0x7f)
    let a = try #require(Key(bytes: [0x01] + [UInt8](repeating: 0, count: 31)))
    let b = try #require(Key(bytes: [UInt8](repeating: 0, count: 31) + [0x02]))
    #expect(Key.byteOrder(b, a))
    #expect(!Key.byteOrder(a, b))
    #expect(!Key.byteOrder(a, a))
  }

  @Test func generatedKeysAreRandomAndPrivateOnesClamped() {
    let a = Key.generatePrivate()
    let b = Key.generatePrivate()
    #expect(a != b)
    #expect(a.bytes[0] & 7 == 0)
    #expect(a.bytes[31] & 0xc0 == 0x40)
    #expect(Key.generatePreshared() != Key.generatePreshared())
  }
}
