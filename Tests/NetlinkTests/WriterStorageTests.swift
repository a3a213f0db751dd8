import Testing

@testable import Netlink

extension Attribute where Set == TestInner, Value == [UInt8] {
  static var innerBlob: Self { Self(2) }
}

/// The writer's storage: zero past what was written, and zeroed again where a nest was
/// dropped, so a peer that did not fit leaves none of its bytes (keys) behind.
@Suite struct WriterStorageTests {
  let secret = [UInt8](repeating: 0xA5, count: 32)

  func holdsSecret(_ storage: [UInt8]) -> Bool {
    storage.indices.contains { i in i + 32 <= storage.count && Array(storage[i..<(i + 32)]) == secret }
  }

  @Test func aDroppedNestIsZeroedInTheStorage() {
    var w = AttributeWriter<TestSet>(bytes: [], limit: 64)
    w.put(.port, 1)
    // The nest writes the secret, then its body refuses: the nest is removed.
    let kept = w.nested(.inner) { inner in
      inner.put(.innerBlob, secret)
      return false
    }
    #expect(!kept)
    #expect(w.bytes == [6, 0, 2, 0, 1, 0, 0, 0])
    #expect(!holdsSecret(w.buffer))
    #expect(w.buffer[w.count...].allSatisfy { $0 == 0 })
  }

  @Test func aNestThatOverflowsTheLimitLeavesNothing() {
    var w = AttributeWriter<TestSet>(bytes: [], limit: 40)
    let kept = w.array(.list) { list in
      var n = 0
      while list.element({ $0.put(.innerBlob, secret) }) { n += 1 }
      return n > 1  // one element fits, not two: refuse the partial array
    }
    #expect(!kept)
    #expect(w.count == 0 && w.bytes.isEmpty)
    #expect(!holdsSecret(w.buffer))
  }

  @Test func padsAndTailsAreZeroAfterManyPuts() {
    var w = AttributeWriter<TestSet>()
    for i in 0..<1000 {
      w.put(.byte, UInt8(truncatingIfNeeded: i | 1))
      w.put(.name, String(repeating: "x", count: i % 7))
    }
    var r = 0
    var ok = true
    let bytes = w.bytes
    while r < bytes.count {
      let length = Int(bytes[r]) | Int(bytes[r + 1]) << 8
      let padded = (length + 3) & ~3
      ok = ok && bytes[(r + length)..<(r + padded)].allSatisfy { $0 == 0 }
      r += padded
    }
    #expect(ok && r == bytes.count)
    #expect(w.buffer[w.count...].allSatisfy { $0 == 0 })
  }
}
