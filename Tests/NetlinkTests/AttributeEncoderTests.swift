import Netlink
import Testing

// A small attribute set of our own, so these tests know nothing of any real family.
enum TestSet: AttributeSet {}
enum TestInner: AttributeSet {}

extension Attribute where Set == TestSet, Value == UInt8 { static var byte: Self { Self(1) } }
extension Attribute where Set == TestSet, Value == UInt16 { static var port: Self { Self(2) } }
extension Attribute where Set == TestSet, Value == UInt32 { static var mark: Self { Self(3) } }
extension Attribute where Set == TestSet, Value == UInt64 { static var counter: Self { Self(4) } }
extension Attribute where Set == TestSet, Value == String { static var name: Self { Self(5) } }
extension Attribute where Set == TestSet, Value == [UInt8] { static var blob: Self { Self(6) } }
extension NestedAttribute where Set == TestSet, Inner == TestInner {
  static var inner: Self { Self(7) }
}
extension NestedArrayAttribute where Set == TestSet, Element == TestInner {
  static var list: Self { Self(8) }
}
extension Attribute where Set == TestInner, Value == UInt32 { static var value: Self { Self(1) } }

@Suite struct AttributeEncoderTests {
  @Test func genericNetlinkGetFamilyRequestGoldenBytes() {
    var m = GenericNetlink.familyRequest(name: "wireguard")
    m.stamp(sequence: 0x0102_0304, portID: 0)
    #expect(
      m.bytes
        == hex(
          """
          24000000 1000 0500 04030201 00000000  # nlmsghdr: len 36, GENL_ID_CTRL, REQUEST|ACK, seq, pid 0
          03 01 0000                            # genlmsghdr: CTRL_CMD_GETFAMILY, version 1
          0e00 0200 77697265677561726400 0000   # CTRL_ATTR_FAMILY_NAME "wireguard\\0", padded
          """))
  }

  @Test func linkDumpRequestGoldenBytes() {
    var m = LinkDump.request()
    m.stamp(sequence: 7, portID: 0)
    #expect(
      m.bytes
        == hex(
          """
          20000000 1200 0503 07000000 00000000  # nlmsghdr: len 32, RTM_GETLINK, REQUEST|ACK|DUMP
          00 00 0000 00000000 00000000 00000000 # ifinfomsg: AF_UNSPEC, everything zero
          """))
  }

  @Test func everyWidthIsHostEndianAndPadded() {
    var w = AttributeWriter<TestSet>()
    let r1 = w.put(.byte, 0xAB)
    #expect(r1)
    let r2 = w.put(.port, 0x1234)
    #expect(r2)
    let r3 = w.put(.mark, 0xDEAD_BEEF)
    #expect(r3)
    let r4 = w.put(.counter, 0x0102_0304_0506_0708)
    #expect(r4)
    let r5 = w.put(.name, "ab")
    #expect(r5)
    let r6 = w.put(.blob, [1, 2, 3, 4, 5])
    #expect(r6)
    #expect(
      w.bytes
        == hex(
          """
          0500 0100 ab 000000                 # u8, 3 bytes padding
          0600 0200 3412 0000                 # u16
          0800 0300 efbeadde                  # u32
          0c00 0400 0807060504030201          # u64
          0700 0500 616200 00                 # string with NUL
          0900 0600 0102030405 000000         # binary
          """))
  }

  @Test func nestedClosesItselfAndSetsTheNestedFlag() {
    var w = AttributeWriter<TestSet>()
    let ok = w.nested(.inner) { inner in
      inner.put(.value, 1) && inner.put(.value, 2)
    }
    #expect(ok)
    #expect(
      w.bytes
        == hex(
          """
          1400 0780            # nest: len 20, type 7 | NLA_F_NESTED
          0800 0100 01000000   #   value 1
          0800 0100 02000000   #   value 2
          """))
  }

  @Test func nestedArrayElementsAreIndexZeroNests() {
    var w = AttributeWriter<TestSet>()
    w.array(.list) { list in
      list.element { $0.put(.value, 9) } && list.element { $0.put(.value, 10) }
    }
    #expect(
      w.bytes
        == hex(
          """
          1c00 0880                  # array: len 28, type 8 | NLA_F_NESTED
          0c00 0080 0800 0100 09000000  # element 0: value 9
          0c00 0080 0800 0100 0a000000  # element 0: value 10
          """))
  }

  @Test func runningOutOfRoomWritesNothingAndSaysSo() {
    var w = AttributeWriter<TestSet>(bytes: [], limit: 12)
    let r7 = w.put(.mark, 1)
    #expect(r7)  // 8 bytes
    let r8 = w.put(.mark, 2)
    #expect(!r8)  // would be 16
    #expect(w.bytes.count == 8)
    let r9 = w.put(.byte, 3)
    #expect(!r9)  // 8 more (5 padded) would be 16 > 12
    #expect(w.bytes.count == 8)
  }

  @Test func aNestThatDoesNotFitIsRemovedWhole() {
    var w = AttributeWriter<TestSet>(bytes: [], limit: 24)
    let r10 = w.put(.mark, 1)
    #expect(r10)
    let before = w.bytes
    let ok = w.nested(.inner) { inner in
      inner.put(.value, 1) && inner.put(.value, 2)  // 4 + 8 + 8 = 20 > 16 left
    }
    #expect(!ok)
    #expect(w.bytes == before)
  }

  @Test func aNestTheBodyRefusesIsRemoved() {
    var w = AttributeWriter<TestSet>()
    let kept = w.nested(.inner) { inner in
      inner.put(.value, 1)
      return false
    }
    #expect(!kept)
    #expect(w.bytes.isEmpty)
  }

  @Test func aPartialArrayIsKeptWhenTheBodySaysSo() {
    var w = AttributeWriter<TestSet>(bytes: [], limit: 4 + 12 * 3)
    var written = 0
    let ok = w.array(.list) { list in
      for i in 0..<10 {
        guard list.element({ $0.put(.value, UInt32(i)) }) else { break }
        written += 1
      }
      return true
    }
    #expect(ok && written == 3)
    var values: [UInt32] = []
    w.bytes.withUnsafeBytes { raw in
      var reader = AttributeReader<TestSet>(raw)
      let outer = try? reader.next()
      var elements = outer.map { $0.elements(.list) }
      while var e = try? elements?.next() {
        while let a = try? e.next() { values.append((try? a.value(.value)) ?? 99) }
      }
    }
    #expect(values == [0, 1, 2])
  }

  @Test func messageBuilderStopsAtItsLimit() {
    var m = MessageBuilder<TestSet>(
      type: 99, flags: [.request], familyHeader: [1, 2, 3, 4], limit: 32)
    #expect(m.count == 20)
    let r11 = m.attributes.put(.mark, 5)
    #expect(r11)
    let r12 = m.attributes.put(.mark, 6)
    #expect(!r12)
    let message = m.finish()
    #expect(message.bytes.count == 28)
    #expect(UInt32(hostEndianBytes: message.bytes[...], at: 0) == 28)
    #expect(message.type == 99)
  }
}
