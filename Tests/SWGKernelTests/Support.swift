import Glibc
import Netlink
import SWGCore
import Testing

@testable import SWGKernel

/// Bytes from hex text; spaces, newlines and `#` comments are ignored.
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
  precondition(digits.isEmpty)
  return out
}

func le16(_ v: UInt16) -> [UInt8] { v.hostEndianBytes }
func le32(_ v: UInt32) -> [UInt8] { v.hostEndianBytes }

func attr(_ type: UInt16, _ payload: [UInt8]) -> [UInt8] {
  var a = le16(UInt16(4 + payload.count)) + le16(type) + payload
  while a.count % 4 != 0 { a.append(0) }
  return a
}

func nest(_ type: UInt16, _ inner: [UInt8]) -> [UInt8] {
  le16(UInt16(4 + inner.count)) + le16(type | 0x8000) + inner
}

func replyMessage(type: UInt16, flags: UInt16 = 0, seq: UInt32, pid: UInt32, payload: [UInt8])
  -> [UInt8]
{
  var m =
    le32(UInt32(16 + payload.count)) + le16(type) + le16(flags) + le32(seq) + le32(pid) + payload
  while m.count % 4 != 0 { m.append(0) }
  return m
}

func key(_ byte: UInt8) -> Key { Key(bytes: [UInt8](repeating: byte, count: 32))! }

/// A key from a number, for thousands of distinct peers.
func key(number n: Int) -> Key {
  var b = [UInt8](repeating: 0xA5, count: 32)
  withUnsafeBytes(of: UInt64(n).littleEndian) { for i in 0..<8 { b[i] = $0[i] } }
  return Key(bytes: b)!
}

func ip(_ text: String) -> AllowedIP {
  let parts = text.split(separator: "/")
  return AllowedIP(address: IPAddress(String(parts[0]))!, cidr: UInt8(parts[1])!)!
}

/// One peer entry of a SET_DEVICE message, as read back from the bytes.
struct SentPeer: Equatable {
  var key: Key
  var flags: UInt32?
  var psk: Key?
  var endpoint: Endpoint?
  var keepalive: UInt16?
  var hasAllowedIPs = false
  var ips: [AllowedIPChange] = []
}

/// A SET_DEVICE message read back from its bytes.
struct SentSet {
  var size = 0
  var ifname: String?
  var privateKey: Key?
  var port: UInt16?
  var fwmark: UInt32?
  var flags: UInt32?
  var hasPeers = false
  var peers: [SentPeer] = []
}

func decodeSet(_ bytes: [UInt8]) throws -> SentSet {
  var s = SentSet(size: bytes.count)
  let reply = try #require(try NetlinkReply.split(bytes).first)
  try reply.payload.dropFirst(4).withUnsafeBytes { raw in
    var r = AttributeReader<WGDeviceSet>(raw)
    while let a = try r.next() {
      switch a {
      case .ifname: s.ifname = try a.value(.ifname)
      case .privateKey: s.privateKey = try a.value(.privateKey)
      case .listenPort: s.port = try a.value(.listenPort)
      case .fwmark: s.fwmark = try a.value(.fwmark)
      case .flags: s.flags = try a.value(.flags)
      case .peers:
        s.hasPeers = true
        var list = a.elements(.peers)
        while var e = try list.next() {
          var p = SentPeer(key: .zero)
          while let pa = try e.next() {
            switch pa {
            case .publicKey: p.key = try pa.value(.publicKey)
            case .flags: p.flags = try pa.value(.flags)
            case .presharedKey: p.psk = try pa.value(.presharedKey)
            case .endpoint: p.endpoint = try pa.value(.endpoint)
            case .persistentKeepalive: p.keepalive = try pa.value(.persistentKeepalive)
            case .allowedIPs:
              p.hasAllowedIPs = true
              var ips = pa.elements(.allowedIPs)
              while var ie = try ips.next() {
                var remove = false
                var family: UInt16 = 0
                var addr: [UInt8] = []
                var cidr: UInt8 = 0
                while let ia = try ie.next() {
                  switch ia {
                  case .family: family = try ia.value(.family)
                  case .address: addr = Array(ia.payload)
                  case .cidr: cidr = try ia.value(.cidr)
                  case .flags: remove = try ia.value(.flags) & 1 != 0
                  default: Issue.record("unknown allowed-ip attribute \(ia.type)")
                  }
                }
                let address: IPAddress =
                  Int32(family) == AF_INET
                  ? .v4(IPv4Address(bytes: addr)!) : .v6(IPv6Address(bytes: addr)!)
                p.ips.append(
                  AllowedIPChange(AllowedIP(address: address, cidr: cidr)!, remove: remove))
              }
            default: Issue.record("unknown peer attribute \(pa.type)")
            }
          }
          s.peers.append(p)
        }
      default: Issue.record("unknown device attribute \(a.type)")
      }
    }
  }
  return s
}
