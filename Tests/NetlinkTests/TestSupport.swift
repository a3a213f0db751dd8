import Netlink

/// Bytes from hex text; spaces, newlines and `#` comments to the end of a line are ignored.
func hex(_ text: String) -> [UInt8] {
  var out: [UInt8] = []
  var digits: [UInt8] = []
  for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
    let code =
      line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
    for c in code.utf8 where c != UInt8(ascii: " ") {
      digits.append(c)
      if digits.count == 2 {
        out.append(UInt8(String(decoding: digits, as: UTF8.self), radix: 16)!)
        digits = []
      }
    }
  }
  precondition(digits.isEmpty, "odd number of hex digits")
  return out
}

func le16(_ v: UInt16) -> [UInt8] { v.hostEndianBytes }
func le32(_ v: UInt32) -> [UInt8] { v.hostEndianBytes }

/// A reply message as the kernel would send it.
func replyMessage(type: UInt16, flags: UInt16 = 0, seq: UInt32, pid: UInt32, payload: [UInt8])
  -> [UInt8]
{
  var m =
    le32(UInt32(16 + payload.count)) + le16(type) + le16(flags) + le32(seq) + le32(pid) + payload
  while m.count % 4 != 0 { m.append(0) }
  return m
}

/// An attribute: header, payload, padding.
func attr(_ type: UInt16, _ payload: [UInt8]) -> [UInt8] {
  var a = le16(UInt16(4 + payload.count)) + le16(type) + payload
  while a.count % 4 != 0 { a.append(0) }
  return a
}

/// A transport whose replies come from a script: `respond` sees each datagram sent and
/// returns the datagrams the "kernel" answers with.
final class ScriptedTransport: NetlinkTransport {
  let portID: UInt32
  var sent: [[UInt8]] = []
  var queue: [[UInt8]] = []
  var respond: ([UInt8]) -> [[UInt8]]

  init(portID: UInt32 = 4242, respond: @escaping ([UInt8]) -> [[UInt8]]) {
    self.portID = portID
    self.respond = respond
  }

  func send(_ bytes: [UInt8]) throws(NetlinkError) {
    sent.append(bytes)
    queue += respond(bytes)
  }

  func receive() throws(NetlinkError) -> [UInt8] {
    guard !queue.isEmpty else { throw .system(call: "recv", errno: 11) }
    return queue.removeFirst()
  }
}

/// Sequence number of a request datagram.
func sequence(of request: [UInt8]) -> UInt32 { UInt32(hostEndianBytes: request[...], at: 8)! }

/// Deterministic pseudo-random numbers for the fuzz loops (SplitMix64).
struct SplitMix: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Random byte-level mutations of `bytes`: flips, overwrites, truncations, insertions.
func mutate(_ bytes: [UInt8], using rng: inout SplitMix) -> [UInt8] {
  var b = bytes
  for _ in 0..<Int.random(in: 1...4, using: &rng) {
    switch Int.random(in: 0..<5, using: &rng) {
    case 0 where !b.isEmpty:
      b[Int.random(in: 0..<b.count, using: &rng)] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng))
    case 1 where !b.isEmpty:
      b[Int.random(in: 0..<b.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
    case 2: b = Array(b.prefix(Int.random(in: 0...b.count, using: &rng)))
    case 3:
      b.insert(UInt8.random(in: 0...255, using: &rng), at: Int.random(in: 0...b.count, using: &rng))
    default:
      // Lengths are the interesting fields: overwrite a 16-bit word with an edge value.
      if b.count >= 2 {
        let i = Int.random(in: 0..<(b.count - 1), using: &rng)
        let v = [
          0, 1, 3, 4, 5, 0xFFFF, 0x8000, UInt16(truncatingIfNeeded: b.count),
          UInt16(truncatingIfNeeded: b.count + 4),
        ].randomElement(using: &rng)!
        b[i] = UInt8(v & 0xFF)
        b[i + 1] = UInt8(v >> 8)
      }
    }
  }
  return b
}
