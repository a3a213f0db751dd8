import Glibc
import SWGCore
import Testing

/// SWGCore's allocation-free address text must equal glibc's inet_ntop and inet_pton.
@Suite struct AddressTextBufferTests {
  func ntop(_ family: Int32, _ raw: [UInt8]) -> String {
    var buf = [CChar](repeating: 0, count: 64)
    var raw = raw
    _ = inet_ntop(family, &raw, &buf, 64)
    return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  func written(_ write: (UnsafeMutablePointer<UInt8>) -> Int) -> String {
    let out = UnsafeMutablePointer<UInt8>.allocate(capacity: 64)
    defer { out.deallocate() }
    let n = write(out)
    return String(decoding: UnsafeBufferPointer(start: out, count: n), as: UTF8.self)
  }

  /// 16 bytes with many zero groups, long runs, ties between runs and v4-looking tails.
  func sparseV6(_ rng: inout SplitMix64) -> [UInt8] {
    var raw = [UInt8](repeating: 0, count: 16)
    for group in 0..<8 where rng.next() % 3 == 0 {
      let w = rng.next() % 4 == 0 ? UInt64(0xffff) : rng.next() % 0x10000
      raw[2 * group] = UInt8(truncatingIfNeeded: w >> 8)
      raw[2 * group + 1] = UInt8(truncatingIfNeeded: w)
    }
    if rng.next() % 8 == 0 {  // IPv4-mapped or -compatible shapes
      for i in 0..<10 { raw[i] = 0 }
      raw[10] = rng.next() % 2 == 0 ? 0xff : 0
      raw[11] = raw[10]
    }
    return raw
  }

  @Test func ipv6TextEqualsInetNtop() throws {
    var rng = SplitMix64(seed: 0x5eed)
    for round in 0..<50_000 {
      let raw =
        round % 2 == 0
        ? sparseV6(&rng) : (0..<16).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
      let a = try #require(IPv6Address(bytes: raw))
      let expected = ntop(AF_INET6, raw)
      #expect(written { a.writeText(to: $0) } == expected)
      #expect(IPAddress.v6(a).description == expected)
      #expect(expected.utf8.count <= IPv6Address.maxTextLength)
    }
  }

  @Test func ipv4TextEqualsInetNtop() throws {
    var rng = SplitMix64(seed: 44)
    let edges: [UInt32] = [0, 1, 9, 10, 99, 100, 255, 256, 0x0a00_0001, 0xffff_ffff, 0x6464_6464]
    for round in 0..<20_000 {
      let v = round < edges.count ? edges[round] : UInt32(truncatingIfNeeded: rng.next())
      let raw = [UInt8(v >> 24), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)]
      let expected = ntop(AF_INET, raw)
      #expect(written { IPv4Address(v).writeText(to: $0) } == expected)
      #expect(IPAddress.v4(IPv4Address(v)).description == expected)
    }
  }

  /// Text cut from valid addresses, mutated, or random over the IPv6 alphabet: accepted
  /// exactly when inet_pton accepts it, with the same 16 bytes.
  @Test func ipv6ParsingEqualsInetPton() throws {
    var rng = SplitMix64(seed: 6)
    let alphabet = Array("0123456789abcdefABCDEFg:.%/ \u{0}".utf8)
    for round in 0..<60_000 {
      var text: [UInt8]
      if round % 3 == 0 {
        text = (0..<Int(rng.next() % 50)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
      } else {
        let a = try #require(IPv6Address(bytes: sparseV6(&rng)))
        text = Array(IPAddress.v6(a).description.utf8)
        if round % 3 == 2 && !text.isEmpty {
          let i = Int(rng.next() % UInt64(text.count))
          text[i] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
          if rng.next() % 4 == 0 { text.insert(UInt8(ascii: "0"), at: i) }
        }
      }
      var raw = [UInt8](repeating: 0, count: 16)
      let cText = text.prefix { $0 != 0 }.map { CChar(bitPattern: $0) } + [0]
      let pton = text.contains(0) ? false : inet_pton(AF_INET6, cText, &raw) == 1
      let ours = text.withUnsafeBufferPointer { IPv6Address(textBuffer: $0) }
      #expect((ours != nil) == pton, "\(String(decoding: text, as: UTF8.self))")
      if let ours, pton { #expect(ours == IPv6Address(bytes: raw)) }
    }
    // Longer than any valid address: refused without reaching inet_pton.
    let long = Array(String(repeating: "0", count: 70).utf8)
    #expect(long.withUnsafeBufferPointer { IPv6Address(textBuffer: $0) } == nil)
  }
}
