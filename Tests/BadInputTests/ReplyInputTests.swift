import Glibc
import Netlink
import SWGCore
import SWGKernel
import SWGUAPI
import Testing

// Replies from the two daemons swg talks to, bad in every way we could think of. Each must
// end in an error carrying the errno wg reports (or be read as wg reads it), never a trap,
// never a read past the buffer, never unbounded memory.

// MARK: - UAPI (wireguard-go, boringtun)

struct BadUAPIReply: CustomTestStringConvertible, Sendable {
  var name: String
  var bytes: [UInt8]
  var errno: Int32
  var limits = UAPIGetParser.Limits.standard
  var testDescription: String { name }
  init(_ name: String, _ text: String, _ errno: Int32, limits: UAPIGetParser.Limits = .standard) {
    self.name = name
    bytes = Array(text.utf8)
    self.errno = errno
    self.limits = limits
  }
  init(_ name: String, bytes: [UInt8], _ errno: Int32) {
    self.name = name
    self.bytes = bytes
    self.errno = errno
  }
}

private let zeros = String(repeating: "0", count: 64)
private let peerLine = "public_key=\(String(repeating: "ab", count: 32))\n"

let badUAPIReplies: [BadUAPIReply] = [
  .init("no equals", "garbage\nerrno=0\n\n", EPROTO),
  .init("binary garbage", bytes: [0xff, 0xfe, 0x00, 0x0a, 0x0a], EPROTO),
  .init("no errno", "listen_port=1\n\n", EPROTO),
  .init("errno with wireguard-go's sign", "errno=-22\n\n", EPROTO),
  .init("errno from the daemon", "errno=19\n\n", ENODEV),
  .init("errno too big", "errno=2147483648\n\n", EPROTO),
  .init("ends early", "private_key=\(zeros)\n", EPROTO),
  .init("ends mid-line", "private_key=00", EPROTO),
  .init("empty", "", EPROTO),
  .init("NUL in a line", bytes: Array("listen_port=1".utf8) + [0] + Array("2\nerrno=0\n\n".utf8), EPROTO),
  .init("key of 63 digits", "private_key=\(zeros.dropLast())\nerrno=0\n\n", EPROTO),
  .init("key not hex", "private_key=\(zeros.dropLast())g\nerrno=0\n\n", EPROTO),
  .init("peer key bad", "public_key=xyz\nerrno=0\n\n", EPROTO),
  .init("port 65536", "listen_port=65536\nerrno=0\n\n", EPROTO),
  .init("port negative", "listen_port=-1\nerrno=0\n\n", EPROTO),
  .init("fwmark 2^32", "fwmark=4294967296\nerrno=0\n\n", EPROTO),
  .init("allowed IP /33", peerLine + "allowed_ip=1.2.3.4/33\nerrno=0\n\n", EPROTO),
  .init("allowed IP /129", peerLine + "allowed_ip=::/129\nerrno=0\n\n", EPROTO),
  .init("allowed IP without mask", peerLine + "allowed_ip=1.2.3.4\nerrno=0\n\n", EPROTO),
  .init("endpoint without port", peerLine + "endpoint=1.2.3.4\nerrno=0\n\n", EPROTO),
  .init("endpoint bracket open", peerLine + "endpoint=[::1:5\nerrno=0\n\n", EPROTO),
  .init("endpoint not numeric", peerLine + "endpoint=example.invalid:5\nerrno=0\n\n", ENETUNREACH),
  .init("handshake overflows", peerLine + "last_handshake_time_sec=99999999999999999999\nerrno=0\n\n", EPROTO),
  .init("counter overflows", peerLine + "rx_bytes=18446744073709551616\nerrno=0\n\n", EPROTO),
  .init("keepalive 65536", peerLine + "persistent_keepalive_interval=65536\nerrno=0\n\n", EPROTO),
  .init("line over the limit", "x=" + String(repeating: "a", count: 5000) + "\n\n", EPROTO),
  .init(
    "reply over the limit", String(repeating: "listen_port=1\n", count: 100) + "errno=0\n\n", EPROTO,
    limits: .init(maxTotalBytes: 1000)),
  .init(
    "too many peers", String(repeating: peerLine, count: 3) + "errno=0\n\n", EPROTO,
    limits: .init(maxPeers: 2)),
  .init(
    "too many allowed IPs", peerLine + String(repeating: "allowed_ip=1.2.3.4/32\n", count: 3) + "errno=0\n\n",
    EPROTO, limits: .init(maxAllowedIPs: 2)),
]

@Test(arguments: badUAPIReplies)
func badUAPIReplyRefused(_ c: BadUAPIReply) throws {
  do throws(UAPIReplyError) {
    _ = try UAPIGetParser.parse(c.bytes, interfaceName: "wg0", limits: c.limits)
    Issue.record("accepted")
  } catch {
    #expect(error.errno.rawValue == c.errno, "\(error)")
  }
}

/// A daemon that sends forever without a newline: the parser refuses at its line limit
/// instead of buffering without end, whatever the chunk size.
@Test func endlessUAPILineIsCut() throws {
  var parser = UAPIGetParser(interfaceName: "wg0")
  let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
  var fed = 0
  var refused = false
  while fed < 100_000_000 {
    do throws(UAPIReplyError) {
      _ = try parser.feed(chunk)
    } catch {
      refused = true
      break
    }
    fed += chunk.count
  }
  #expect(refused)
  #expect(fed <= 16 * 1024)
}

// MARK: - Netlink (the kernel)

/// `nlmsghdr` + genlmsghdr + payload, the length set (or forced with `length`).
func nlMessage(
  type: UInt16 = familyID, flags: UInt16 = 0x2, payload: [UInt8], genl: Bool = true, length: UInt32? = nil
) -> [UInt8] {
  let body = (genl ? [WireGuardFamily.getDevice, WireGuardFamily.version, 0, 0] : []) + payload
  var m: [UInt8] = []
  m += withUnsafeBytes(of: (length ?? UInt32(16 + body.count)).littleEndian, { Array($0) })
  m += withUnsafeBytes(of: type.littleEndian, { Array($0) })
  m += withUnsafeBytes(of: flags.littleEndian, { Array($0) })
  m += [UInt8](repeating: 0, count: 8)  // sequence and port id: stamped by the transport
  m += body
  while m.count % 4 != 0 { m.append(0) }
  return m
}

/// One attribute; `length` forces its length field.
func nlAttr(_ type: UInt16, _ payload: [UInt8], nested: Bool = false, length: UInt16? = nil) -> [UInt8] {
  var a: [UInt8] = []
  a += withUnsafeBytes(of: (length ?? UInt16(4 + payload.count)).littleEndian, { Array($0) })
  a += withUnsafeBytes(of: (type | (nested ? 0x8000 : 0)).littleEndian, { Array($0) })
  a += payload
  while a.count % 4 != 0 { a.append(0) }
  return a
}

private let pubKey = [UInt8](repeating: 7, count: 32)
private func peer(_ attrs: [UInt8]) -> [UInt8] { nlAttr(8, nlAttr(0, attrs, nested: true), nested: true) }
private func allowedIP(_ attrs: [UInt8]) -> [UInt8] {
  nlAttr(1, pubKey) + nlAttr(9, nlAttr(0, attrs, nested: true), nested: true)
}
private let done = doneMessage()

struct BadDump: CustomTestStringConvertible, Sendable {
  var name: String
  var datagrams: [[UInt8]]
  var errno: Int32
  var testDescription: String { name }
}

let badDumps: [BadDump] = [
  .init(name: "attribute header cut", datagrams: [nlMessage(payload: [8, 0]), done], errno: EBADMSG),
  .init(name: "attribute length below 4", datagrams: [nlMessage(payload: nlAttr(6, [1, 0], length: 2)), done], errno: EBADMSG),
  .init(name: "attribute length overruns", datagrams: [nlMessage(payload: nlAttr(6, [1, 0], length: 200)), done], errno: EBADMSG),
  .init(name: "nested length overruns its nest", datagrams: [nlMessage(payload: nlAttr(8, nlAttr(0, nlAttr(1, pubKey), nested: true, length: 90), nested: true)), done], errno: EBADMSG),
  .init(name: "peer element overruns the peers", datagrams: [nlMessage(payload: nlAttr(8, nlAttr(0, [], nested: true, length: 40), nested: true, length: 12)), done], errno: EBADMSG),
  .init(name: "private key of 31 bytes", datagrams: [nlMessage(payload: nlAttr(3, [UInt8](repeating: 1, count: 31))), done], errno: EBADMSG),
  .init(name: "listen port of 4 bytes", datagrams: [nlMessage(payload: nlAttr(6, [1, 0, 0, 0])), done], errno: EBADMSG),
  .init(name: "fwmark of 2 bytes", datagrams: [nlMessage(payload: nlAttr(7, [1, 0])), done], errno: EBADMSG),
  .init(name: "peer without public key", datagrams: [nlMessage(payload: peer(nlAttr(5, [1, 0]))), done], errno: EBADMSG),
  .init(name: "allowed IP of family 99", datagrams: [nlMessage(payload: peer(allowedIP(nlAttr(1, [99, 0]) + nlAttr(2, [1, 2, 3, 4]) + nlAttr(3, [8])))), done], errno: EBADMSG),
  .init(name: "IPv4 allowed IP of 16 bytes", datagrams: [nlMessage(payload: peer(allowedIP(nlAttr(1, [2, 0]) + nlAttr(2, [UInt8](repeating: 1, count: 16)) + nlAttr(3, [8])))), done], errno: EBADMSG),
  .init(name: "IPv4 allowed IP /33", datagrams: [nlMessage(payload: peer(allowedIP(nlAttr(1, [2, 0]) + nlAttr(2, [10, 0, 0, 0]) + nlAttr(3, [33])))), done], errno: EBADMSG),
  .init(name: "allowed IP without mask", datagrams: [nlMessage(payload: peer(allowedIP(nlAttr(1, [2, 0]) + nlAttr(2, [10, 0, 0, 0])))), done], errno: EBADMSG),
  .init(name: "payload shorter than genlmsghdr", datagrams: [nlMessage(payload: [1, 1], genl: false), done], errno: EBADMSG),
  .init(name: "message length past the datagram", datagrams: [nlMessage(payload: [], length: 100)], errno: EBADMSG),
  .init(name: "message length below the header", datagrams: [nlMessage(payload: [], length: 8)], errno: EBADMSG),
  .init(name: "datagram of 3 bytes", datagrams: [[1, 2, 3]], errno: EBADMSG),
  .init(name: "NLMSG_ERROR without its code", datagrams: [nlMessage(type: 2, payload: [1, 2], genl: false)], errno: EBADMSG),
  .init(name: "NLMSG_ERROR ENODEV", datagrams: [nlMessage(type: 2, payload: withUnsafeBytes(of: (-ENODEV).littleEndian, { Array($0) }) + [UInt8](repeating: 0, count: 16), genl: false)], errno: ENODEV),
  .init(name: "NLMSG_ERROR with a positive code", datagrams: [nlMessage(type: 2, payload: [5, 0, 0, 0], genl: false)], errno: EPROTO),
  .init(name: "NLMSG_OVERRUN", datagrams: [nlMessage(type: 4, payload: [], genl: false)], errno: EBADMSG),
  .init(name: "dump never ends", datagrams: [nlMessage(payload: nlAttr(6, [1, 0]))], errno: EAGAIN),
  .init(name: "dump interrupted", datagrams: [nlMessage(flags: 0x12, payload: nlAttr(6, [1, 0])), done], errno: EINTR),
]

@Test(arguments: badDumps)
func badDumpRefused(_ c: BadDump) throws {
  switch readDump(c.datagrams, stamp: true) {
  case .success: Issue.record("accepted")
  case .failure(let e): #expect(e.errno == c.errno, "\(e)")
  }
}

/// A reply to another request (wrong sequence number) is refused, not mixed in.
@Test func dumpForAnotherRequestRefused() throws {
  switch readDump([nlMessage(payload: nlAttr(6, [1, 0])), done], stamp: false) {
  case .success: Issue.record("accepted")
  case .failure(let e): #expect(e.errno == EPROTO, "\(e)")
  }
}

/// wg ignores an endpoint that is neither a sockaddr_in nor a sockaddr_in6; so does swg.
@Test func oddEndpointIgnored() throws {
  let d = readDump([nlMessage(payload: peer(nlAttr(1, pubKey) + nlAttr(4, [2, 0, 0, 1, 127]))), done], stamp: true)
  guard case .success(let device) = d else { Issue.record("refused: \(d)"); return }
  #expect(device.peers.count == 1)
  #expect(device.peers.first?.endpoint == nil)
}

/// The coalescer on a real shape: one peer's allowed IPs split over three messages, with a
/// second peer between, reads back as the device that was dumped.
@Test(arguments: [512, 700, 1500, 65536])
func splitDumpCoalesced(_ limit: Int) throws {
  var device = Device(name: "wg0", ifindex: 3, privateKey: Key(bytes: [UInt8](repeating: 9, count: 32)))
  for p in 0..<3 {
    var peer = Peer(publicKey: Key(bytes: [UInt8](repeating: UInt8(p + 1), count: 32)) ?? .zero)
    peer.endpoint = p == 1 ? .v6(IPv6Address(high: 0xfd00 << 48, low: 1), port: 5) : .v4(IPv4Address(0x7f00_0001), port: 9)
    peer.allowedIPs = (0..<(p == 0 ? 200 : 3)).compactMap {
      AllowedIP(address: .v4(IPv4Address(0x0a00_0000 | UInt32($0) << 8)), cidr: 24)
    }
    device.peers.append(peer)
  }
  let messages = try #require(dumpMessages(for: device, limit: limit))
  if limit < 4096 { #expect(messages.count > 2) }
  let back = readDump(messages + [doneMessage()], stamp: true)
  guard case .success(let again) = back else { Issue.record("refused: \(back)"); return }
  #expect(again == device)
}
