import Glibc
import Netlink
import SWGCore
import Testing

@testable import SWGKernel

/// A WireGuard "kernel" behind a NetlinkTransport: answers CTRL_CMD_GETFAMILY, applies
/// SET_DEVICE messages with the kernel's rules and dumps GET_DEVICE over many messages,
/// splitting peers as netlink.c does. Used to run KernelBackend end to end without root.
final class FakeKernel: NetlinkTransport, @unchecked Sendable {
  let portID: UInt32 = 777
  let familyID: UInt16 = 30
  var device = Device(name: "wg0", ifindex: 5)
  /// Linux before 6.16: WGALLOWEDIP_A_FLAGS is refused with EINVAL.
  var supportsAllowedIPRemoval = false
  /// The next N dumps are marked NLM_F_DUMP_INTR.
  var interruptDumps = 0
  /// Largest dump message.
  var dumpLimit = 2048
  var setMessages: [SentSet] = []
  var dumps = 0
  private var queue: [[UInt8]] = []

  func send(_ bytes: [UInt8]) throws(NetlinkError) {
    guard let request = try? NetlinkReply.split(bytes).first else {
      Issue.record("bad request")
      return
    }
    let seq = request.sequence
    if request.type == GenericNetlink.controllerID {
      let reply = replyMessage(
        type: 16, seq: seq, pid: portID, payload: [1, 2, 0, 0] + attr(1, le16(familyID)))
      queue += [reply, ack(seq, 0)]
      return
    }
    guard request.type == familyID, let command = request.payload.first else {
      queue.append(ack(seq, -EINVAL))
      return
    }
    var name: String?
    request.payload.dropFirst(4).withUnsafeBytes { raw in
      var r = AttributeReader<WGDeviceSet>(raw)
      while let a = try? r.next() { if case .ifname = a { name = try? a.value(.ifname) } }
    }
    // The policy: WGDEVICE_A_IFNAME is a NUL string of at most IFNAMSIZ - 1 bytes.
    guard (name?.utf8.count ?? 0) < IFNAMSIZ else {
      queue.append(ack(seq, -EINVAL))
      return
    }
    guard name == device.name else {
      queue.append(ack(seq, -ENODEV))
      return
    }
    if command == WireGuardFamily.getDevice {
      dumps += 1
      let flags: UInt16 = interruptDumps > 0 ? 0x12 : 0x02
      if interruptDumps > 0 { interruptDumps -= 1 }
      queue += dump(seq: seq, flags: flags)
    } else {
      do {
        let s = try decodeSet(bytes)
        setMessages.append(s)
        queue.append(ack(seq, -apply(s)))
      } catch {
        queue.append(ack(seq, -EINVAL))
      }
    }
  }

  func receive() throws(NetlinkError) -> [UInt8] {
    guard !queue.isEmpty else { throw .system(call: "recv", errno: EAGAIN) }
    return queue.removeFirst()
  }

  func ack(_ seq: UInt32, _ error: Int32) -> [UInt8] {
    replyMessage(
      type: 2, seq: seq, pid: portID,
      payload: error.hostEndianBytes + [UInt8](repeating: 0, count: 16))
  }

  /// Applies one SET message in the kernel's order; returns 0 or an errno (changes made
  /// before the error stay, as in the kernel).
  func apply(_ s: SentSet) -> Int32 {
    if let k = s.privateKey {
      device.privateKey = k.isZero ? nil : k
      device.publicKey = device.privateKey.map { _ in key(0xEE) }
    }
    if let p = s.port { device.listenPort = p }
    if let f = s.fwmark { device.fwmark = f }
    if (s.flags ?? 0) & 1 != 0 { device.peers = [] }
    // Who owns each prefix and where each peer is, so nothing scans every peer.
    var owner: [AllowedIP: Key] = [:]
    var position: [Key: Int] = [:]
    for (n, peer) in device.peers.enumerated() {
      position[peer.publicKey] = n
      for a in peer.allowedIPs { owner[a] = peer.publicKey }
    }
    for p in s.peers {
      let flags = p.flags ?? 0
      var index = position[p.key]
      if index == nil && flags & 5 != 0 { continue }
      if flags & 1 != 0 {
        for a in device.peers.first(where: { $0.publicKey == p.key })?.allowedIPs ?? [] {
          owner[a] = nil
        }
        device.peers.removeAll { $0.publicKey == p.key }
        position = [:]
        for (n, peer) in device.peers.enumerated() { position[peer.publicKey] = n }
        continue
      }
      if index == nil {
        device.peers.append(Peer(publicKey: p.key))
        index = device.peers.count - 1
        position[p.key] = index
      }
      guard let i = index else { continue }
      if let psk = p.psk { device.peers[i].presharedKey = psk.isZero ? nil : psk }
      if let e = p.endpoint { device.peers[i].endpoint = e }
      if flags & 2 != 0 {
        for a in device.peers[i].allowedIPs { owner[a] = nil }
        device.peers[i].allowedIPs = []
      }
      for entry in p.ips {
        let prefix = entry.allowedIP.masked
        if entry.remove {
          guard supportsAllowedIPRemoval else { return EINVAL }
          if owner[prefix] == p.key {
            device.peers[i].allowedIPs.removeAll { $0 == prefix }
            owner[prefix] = nil
          }
        } else if owner[prefix] != p.key {
          if let other = owner[prefix], let j = position[other] {
            device.peers[j].allowedIPs.removeAll { $0 == prefix }
          }
          owner[prefix] = p.key
          device.peers[i].allowedIPs.append(prefix)
        }
      }
      if let k = p.keepalive { device.peers[i].persistentKeepalive = k }
    }
    return 0
  }

  /// The dump as netlink.c splits it: device attributes first, then peers; a peer whose
  /// allowed IPs do not fit continues in the next message with its key and the rest.
  func dump(seq: UInt32, flags: UInt16) -> [[UInt8]] {
    var out: [[UInt8]] = []
    var peer = 0
    var ipFrom = 0
    var first = true
    while first || peer < device.peers.count {
      var m = MessageBuilder<WGDeviceSet>(
        type: familyID, flags: MessageFlags(rawValue: flags), familyHeader: [0, 1, 0, 0],
        limit: dumpLimit)
      if first {
        m.attributes.put(.listenPort, device.listenPort)
        m.attributes.put(.fwmark, device.fwmark)
        m.attributes.put(.ifindex, device.ifindex)
        m.attributes.put(.ifname, device.name)
        if let k = device.privateKey, let pub = device.publicKey {
          m.attributes.put(.privateKey, k)
          m.attributes.put(.publicKey, pub)
        }
      }
      first = false
      if peer < device.peers.count {
        m.attributes.array(.peers) { list in
          while peer < device.peers.count {
            let p = device.peers[peer]
            var done = true
            let ok = list.element { w in
              guard w.put(.publicKey, p.publicKey) else { return false }
              if ipFrom == 0 {
                guard w.put(.presharedKey, p.presharedKey ?? .zero),
                  w.put(.lastHandshake, p.lastHandshake),
                  w.put(.persistentKeepalive, p.persistentKeepalive), w.put(.txBytes, p.txBytes),
                  w.put(.rxBytes, p.rxBytes), w.put(.protocolVersion, 1)
                else { return false }
                if let e = p.endpoint, !w.put(.endpoint, e) { return false }
              }
              if ipFrom < p.allowedIPs.count {
                w.array(.allowedIPs) { ips in
                  while ipFrom < p.allowedIPs.count {
                    let a = p.allowedIPs[ipFrom]
                    guard
                      ips.element({ e in
                        e.put(.cidr, a.cidr) && e.put(.family, UInt16(a.address.family))
                          && e.put(.address, a.address)
                      })
                    else {
                      done = false
                      break
                    }
                    ipFrom += 1
                  }
                  return true
                }
              }
              return true
            }
            if !ok { break }
            if !done { break }
            peer += 1
            ipFrom = 0
          }
          return list.count > 0
        }
      }
      let message = m.finish()
      out.append(
        replyMessage(
          type: familyID, flags: flags, seq: seq, pid: portID, payload: Array(message.payload)))
    }
    // Several messages per datagram, as the kernel packs them.
    var datagrams: [[UInt8]] = []
    for (i, m) in out.enumerated() {
      if i % 3 == 0 { datagrams.append(m) } else { datagrams[datagrams.count - 1] += m }
    }
    datagrams.append(replyMessage(type: 3, flags: flags, seq: seq, pid: portID, payload: le32(0)))
    return datagrams
  }

  /// A backend that talks to this fake.
  func backend() -> KernelBackend {
    let me = self
    return KernelBackend(messageLimit: 4096) { (_) throws(NetlinkError) in
      NetlinkConnection(transport: me)
    }
  }
}
