import Glibc
import Netlink
import SWGCore
import SWGKernel

// The fuzz property of the kernel reply path: datagrams as the kernel might send them in
// answer to WG_CMD_GET_DEVICE go through NetlinkConnection (splitting, sequence and port
// checks, errors, dump end) into DeviceDumpAssembler (the peer coalescer), as
// KernelBackend reads a device.

/// Input layout: byte 0 holds options (bit 0: stamp the right sequence number and port id
/// into every message header, so the fuzzer gets past those checks; bits 1-7: the message
/// size limit for the round trip); then datagrams, each a 2-byte little-endian length and
/// that many bytes (the last one takes what is left).
///
/// Properties: it never traps and always ends; a device that reads back, written as the
/// kernel writes dumps (split over messages at the chosen size, peers continued across
/// messages), reads back to the same device.
public func checkNetlinkDump(_ data: UnsafeRawBufferPointer) -> [String] {
  guard let options = data.first else { return [] }
  var datagrams: [[UInt8]] = []
  var i = 1
  while i < data.count {
    let length: Int
    if i + 2 <= data.count {
      length = Int(data[i]) | Int(data[i + 1]) << 8
      i += 2
    } else {
      length = data.count - i
    }
    let end = min(data.count, i + length)
    datagrams.append(Array(data[i..<end]))
    i = end
  }
  let outcome = readDump(datagrams, stamp: options & 1 == 1)
  guard case .success(let device) = outcome else { return [] }

  let limit = 512 + Int(options >> 1) * 64
  // Names longer than a message cannot be written back (the kernel's are at most 15 bytes).
  guard let messages = dumpMessages(for: device, limit: limit) else { return [] }
  switch readDump(messages + [doneMessage()], stamp: true) {
  case .success(let again) where again == device: return []
  case .success: return ["dump round trip (messages of \(limit) bytes) changed the device"]
  case .failure(let e): return ["dump round trip (messages of \(limit) bytes) refused: \(e)"]
  }
}

/// Answers requests with the given datagrams, then fails as a dead socket would.
final class ScriptedTransport: NetlinkTransport {
  let portID: UInt32 = 4242
  private var datagrams: [[UInt8]]
  private let stamp: Bool
  private var sequence: UInt32 = 0

  init(_ datagrams: [[UInt8]], stamp: Bool) {
    self.datagrams = datagrams.reversed()
    self.stamp = stamp
  }

  func send(_ bytes: [UInt8]) throws(NetlinkError) {
    guard bytes.count >= 16 else { return }
    sequence = UInt32(bytes[8]) | UInt32(bytes[9]) << 8 | UInt32(bytes[10]) << 16 | UInt32(bytes[11]) << 24
  }

  func receive() throws(NetlinkError) -> [UInt8] {
    guard var d = datagrams.popLast() else { throw .kernel(errno: EAGAIN) }
    if stamp {
      // Walk the headers by their own lengths, as the kernel lays messages out.
      var offset = 0
      while offset + 16 <= d.count {
        withUnsafeBytes(of: sequence.littleEndian) { for k in 0..<4 { d[offset + 8 + k] = $0[k] } }
        withUnsafeBytes(of: portID.littleEndian) { for k in 0..<4 { d[offset + 12 + k] = $0[k] } }
        let length = Int(d[offset]) | Int(d[offset + 1]) << 8 | Int(d[offset + 2]) << 16 | Int(d[offset + 3]) << 24
        guard length >= 16 else { break }
        offset += (length + 3) & ~3
      }
    }
    return d
  }
}

/// The device from one GET_DEVICE exchange over scripted datagrams.
func readDump(_ datagrams: [[UInt8]], stamp: Bool) -> Result<Device, NetlinkError> {
  let connection = NetlinkConnection(transport: ScriptedTransport(datagrams, stamp: stamp))
  var assembler = DeviceDumpAssembler(name: "wg0")
  do throws(NetlinkError) {
    try connection.request(GetDeviceRequest.message(interface: "wg0", familyID: familyID)) {
      (reply) throws(NetlinkError) in try assembler.add(reply)
    }
    return .success(assembler.device)
  } catch {
    return .failure(error)
  }
}

let familyID: UInt16 = 0x22

/// NLMSG_DONE with error 0.
func doneMessage() -> [UInt8] {
  var m = MessageBuilder<NoAttributes>(type: MessageHeader.done, flags: [.multi], familyHeader: [0, 0, 0, 0])
  return m.finish().bytes
}

/// `device` as the kernel dumps it: device attributes in the first message, then peers,
/// a new message whenever the next one does not fit, a peer whose allowed IPs do not fit
/// continued in the next message under its public key alone.
/// nil when the device does not fit messages of `limit` bytes at all.
func dumpMessages(for device: Device, limit: Int) -> [[UInt8]]? {
  var messages: [[UInt8]] = []
  func builder() -> MessageBuilder<WGDeviceSet> {
    MessageBuilder<WGDeviceSet>(
      type: familyID, flags: [.multi],
      familyHeader: GenericHeader(command: WireGuardFamily.getDevice, version: WireGuardFamily.version).bytes,
      limit: limit)
  }
  var m = builder()
  guard m.attributes.put(.ifindex, device.ifindex), m.attributes.put(.ifname, device.name),
    device.privateKey.map({ m.attributes.put(.privateKey, $0) }) ?? true,
    device.publicKey.map({ m.attributes.put(.publicKey, $0) }) ?? true,
    m.attributes.put(.listenPort, device.listenPort), m.attributes.put(.fwmark, device.fwmark)
  else { return nil }

  var peerIndex = 0
  var ipIndex = 0
  var stalled = 0
  while peerIndex < device.peers.count {
    let before = (peerIndex, ipIndex)
    m.attributes.array(.peers) { peers in
      while peerIndex < device.peers.count {
        let peer = device.peers[peerIndex]
        let continuing = ipIndex > 0
        let wrote = peers.element { p in
          guard p.put(.publicKey, peer.publicKey) else { return false }
          if !continuing {
            guard p.put(.presharedKey, peer.presharedKey ?? .zero),
              peer.endpoint.map({ p.put(.endpoint, $0) }) ?? true,
              p.put(.persistentKeepalive, peer.persistentKeepalive),
              p.put(.lastHandshake, peer.lastHandshake),
              p.put(.rxBytes, peer.rxBytes),
              p.put(.txBytes, peer.txBytes),
              p.put(.protocolVersion, peer.protocolVersion)
            else { return false }
          }
          if ipIndex < peer.allowedIPs.count {
            p.array(.allowedIPs) { ips in
              while ipIndex < peer.allowedIPs.count {
                let ip = peer.allowedIPs[ipIndex]
                let ok = ips.element { e in
                  e.put(.family, UInt16(ip.address.family)) && e.put(.address, ip.address)
                    && e.put(.cidr, ip.cidr)
                }
                guard ok else { break }
                ipIndex += 1
              }
              return ips.count > 0
            }
          }
          return true
        }
        guard wrote else { break }
        if ipIndex >= peer.allowedIPs.count {
          peerIndex += 1
          ipIndex = 0
        } else {
          break  // the rest of this peer's list goes into the next message
        }
      }
      return peers.count > 0
    }
    messages.append(m.finish().bytes)
    m = builder()
    // A message too small for even one peer entry cannot make progress: stop.
    if before == (peerIndex, ipIndex) {
      stalled += 1
      if stalled > 1 { return nil }
    } else {
      stalled = 0
    }
  }
  if messages.isEmpty { messages.append(m.finish().bytes) }
  return messages
}
