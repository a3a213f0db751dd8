import Netlink
import Testing

@Suite struct AttributeDecoderTests {
  /// Every attribute of `bytes`, handed to `body` while the bytes are lent.
  func all<R>(_ bytes: [UInt8], _ body: ([RawAttribute<TestSet>]) throws -> R = { _ in () })
    throws -> R
  {
    try bytes.withUnsafeBytes { raw in
      var r = AttributeReader<TestSet>(raw)
      var out: [RawAttribute<TestSet>] = []
      while let a = try r.next() { out.append(a) }
      return try body(out)
    }
  }

  @Test func readsTypesFlagsAndPayloads() throws {
    let bytes = hex(
      """
      0600 0200 3412 0000        # port 0x1234
      0800 0380 01000000         # type 3 with NLA_F_NESTED
      0800 0340 02000000         # type 3 with NLA_F_NET_BYTEORDER
      0700 0500 616200 00        # name "ab"
      """)
    try all(bytes) { a throws in
      #expect(a.count == 4)
      #expect(try a[0].value(.port) == 0x1234)
      #expect(a[1].type == 3 && a[1].isNested && !a[1].isNetworkByteOrder)
      #expect(a[2].type == 3 && !a[2].isNested && a[2].isNetworkByteOrder)
      #expect(try a[3].value(.name) == "ab")
    }
  }

  @Test func switchMatchesTypedKeysAndSkipsUnknown() throws {
    let bytes = attr(2, le16(80)) + attr(77, [1, 2, 3]) + attr(3, le32(5))
    var port: UInt16?
    var mark: UInt32?
    var skipped = 0
    try withAttributes(in: bytes[...], as: TestSet.self) { (r) throws(NetlinkError) in
      while let a = try r.next() {
        switch a {
        case .port: port = try a.value(.port)
        case .mark: mark = try a.value(.mark)
        default: skipped += 1
        }
      }
    }
    #expect(port == 80 && mark == 5 && skipped == 1)
  }

  @Test func lastAttributeMayLackPadding() throws {
    let bytes = hex("0500 0100 07")  // u8 without its 3 padding bytes
    #expect(try all(bytes) { try $0.first?.value(.byte) } == 7)
  }

  @Test(arguments: [
    ("truncated header", "0800 01"),
    ("length below header size", "0300 0100 000000"),
    ("length past the buffer", "0c00 0300 01000000"),
    ("second attribute overruns", "0800 0300 01000000 ff00 0300 02000000"),
  ])
  func malformedInputThrows(name: String, input: String) {
    #expect(throws: NetlinkError.self) { try all(hex(input)) }
  }

  @Test(arguments: [
    ("u16 with 4 bytes", "0800 0200 01000000"),
    ("u32 with 2 bytes", "0600 0300 0100 0000"),
    ("u64 with 4 bytes", "0800 0400 01000000"),
    ("u8 with 0 bytes", "0400 0100"),
  ])
  func wrongPayloadWidthThrowsOnTypedRead(name: String, input: String) throws {
    try all(hex(input)) { attributes throws in
      let a = try #require(attributes.first)
      switch a {
      case .port: #expect(throws: NetlinkError.self) { try a.value(.port) }
      case .mark: #expect(throws: NetlinkError.self) { try a.value(.mark) }
      case .counter: #expect(throws: NetlinkError.self) { try a.value(.counter) }
      case .byte: #expect(throws: NetlinkError.self) { try a.value(.byte) }
      default: Issue.record("unexpected type \(a.type)")
      }
    }
  }

  @Test func nestedLengthThatOverrunsItsParentThrows() throws {
    // The outer nest says 16 bytes; the inner attribute claims 20 of them.
    let bytes = hex(
      """
      1000 0780                # nest, 12 bytes of payload
      1400 0100 01000000 00000000  # inner attribute: length 20 > 12 left
      """)
    try all(bytes) { attributes throws in
      let nest = try #require(attributes.first)
      var inner = nest.nested(.inner)
      #expect(throws: NetlinkError.self) { try inner.next() }
    }
  }

  @Test func stringWithoutNULIsTakenWhole() throws {
    #expect(try all(attr(5, Array("wg0".utf8))) { try $0.first?.value(.name) } == "wg0")
  }

  @Test func randomMutationsNeverTrap() {
    var w = AttributeWriter<TestSet>()
    w.put(.port, 1)
    w.nested(.inner) { $0.put(.value, 1) && $0.put(.value, 2) }
    w.array(.list) { l in l.element { $0.put(.value, 3) } && l.element { $0.put(.value, 4) } }
    w.put(.name, "hello")
    let valid = w.bytes
    var rng = SplitMix(state: 1)
    var errors = 0
    for _ in 0..<20000 {
      let input = mutate(valid, using: &rng)
      do {
        try withAttributes(in: input[...], as: TestSet.self) { (r) throws(NetlinkError) in
          while let a = try r.next() {
            switch a {
            case .port: _ = try a.value(.port)
            case .name: _ = try a.value(.name)
            case .inner:
              var i = a.nested(.inner)
              while let v = try i.next() { _ = try v.value(.value) }
            case .list:
              var l = a.elements(.list)
              while var e = try l.next() { while let v = try e.next() { _ = try v.value(.value) } }
            default: break
            }
          }
        }
      } catch {
        errors += 1
      }
    }
    // Some mutations must be caught (the loop is not vacuous), and none trapped.
    #expect(errors > 1000)
  }
}
