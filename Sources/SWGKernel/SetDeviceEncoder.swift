// WG_CMD_SET_DEVICE as bytes: a DeviceChange split into messages of at most `limit` bytes
// with wg's continuation rules. Pure; KernelBackend sends the messages one by one.
import Glibc
import Netlink
import SWGCore

public enum SetDeviceEncoder {
  /// The message size wg uses: `min(getpagesize(), 8192)`.
  public static var defaultLimit: Int {
    let page = sysconf(Int32(_SC_PAGESIZE))
    return page > 0 ? min(page, 8192) : 4096
  }

  /// The messages that apply `change` to `interface`, in order.
  ///
  /// Device attributes and WGDEVICE_F_REPLACE_PEERS go in the first message only. Peers are
  /// added until a message is full; a peer that does not fit moves whole to the next one.
  /// A peer whose allowed IPs overflow continues in the next message with its public key,
  /// its REMOVE_ME/UPDATE_ONLY flags and the rest of its allowed IPs only (never
  /// REPLACE_ALLOWEDIPS again, never its preshared key, endpoint or keepalive).
  /// Throws `.noRoom` if a message could hold no progress at all (a tiny `limit`).
  public static func messages(
    for change: DeviceChange, interface: String, familyID: UInt16, limit: Int = defaultLimit
  ) throws(NetlinkError) -> [NetlinkMessage] {
    var messages: [NetlinkMessage] = []
    try forEachMessage(for: change, interface: interface, familyID: familyID, limit: limit) {
      messages.append($0)
    }
    return messages
  }

  /// The same messages, handed to `body` one at a time as each is built (as wg sends them),
  /// so a device of 50,000 peers never has its whole request in memory at once.
  public static func forEachMessage(
    for change: DeviceChange, interface: String, familyID: UInt16, limit: Int = defaultLimit,
    _ body: (NetlinkMessage) throws(NetlinkError) -> Void
  ) throws(NetlinkError) {
    let peers = change.peers
    var peerIndex = 0
    // Non-nil while peers[peerIndex] is being continued from this allowed IP.
    var continueFrom: Int?
    var first = true
    repeat {
      var m = MessageBuilder<WGDeviceSet>(
        type: familyID, flags: [.request, .ack],
        familyHeader: GenericHeader(
          command: WireGuardFamily.setDevice, version: WireGuardFamily.version
        ).bytes,
        limit: limit)
      var fits = m.attributes.put(.ifname, interface)
      if first {
        if let key = change.privateKey { fits = fits && m.attributes.put(.privateKey, key) }
        if let port = change.listenPort { fits = fits && m.attributes.put(.listenPort, port) }
        if let mark = change.fwmark { fits = fits && m.attributes.put(.fwmark, mark) }
        if change.replacePeers {
          fits = fits && m.attributes.put(.flags, WireGuardFamily.replacePeersFlag)
        }
      }
      guard fits else { throw .noRoom }
      let before = (peerIndex, continueFrom)
      if peerIndex < peers.count {
        m.attributes.array(.peers) { list in
          while peerIndex < peers.count {
            let peer = peers[peerIndex]
            var next: Int?
            let wrote = list.element { w in
              encode(peer, continuingFrom: continueFrom, into: &w, stoppedAt: &next)
            }
            guard wrote else { break }  // the peer moves whole to the next message
            if let next {
              continueFrom = next  // allowed IPs overflowed: this message is full
              break
            }
            peerIndex += 1
            continueFrom = nil
          }
          return list.count > 0
        }
      }
      if !first && before == (peerIndex, continueFrom) { throw .noRoom }
      try body(finishWiping(&m))
      first = false
    } while peerIndex < peers.count
  }

  /// The finished message; the builder's own buffer (key attributes included) is zeroed
  /// when the message did not keep it.
  static func finishWiping(_ m: inout MessageBuilder<WGDeviceSet>) -> NetlinkMessage {
    let message = m.finish()
    let builderBase = m.attributes.bytes.withUnsafeBytes { $0.baseAddress }
    let messageBase = message.bytes.withUnsafeBytes { $0.baseAddress }
    if builderBase != messageBase { wipeSharedStorage(of: m.attributes.bytes) }
    return message
  }

  /// Writes one peer entry; `stoppedAt` is set to the first allowed IP that did not fit.
  /// False when not even the peer's own attributes fit.
  static func encode(
    _ peer: PeerChange, continuingFrom: Int?, into w: inout AttributeWriter<WGPeerSet>,
    stoppedAt: inout Int?
  ) -> Bool {
    guard w.put(.publicKey, peer.publicKey) else { return false }
    var flags: UInt32 = 0
    if peer.remove { flags |= WireGuardFamily.removePeerFlag }
    if peer.updateOnly { flags |= WireGuardFamily.updateOnlyFlag }
    // A removed peer gets its key and flag only; a continued one no fields but its IPs.
    if continuingFrom == nil && !peer.remove {
      if peer.replaceAllowedIPs { flags |= WireGuardFamily.replaceAllowedIPsFlag }
      if let psk = peer.presharedKey, !w.put(.presharedKey, psk) { return false }
      if let endpoint = peer.endpoint, !w.put(.endpoint, endpoint) { return false }
      if let keepalive = peer.persistentKeepalive, !w.put(.persistentKeepalive, keepalive) {
        return false
      }
    }
    if flags != 0, !w.put(.flags, flags) { return false }
    if peer.remove || peer.allowedIPs.isEmpty { return true }
    var i = continuingFrom ?? 0
    let ips = peer.allowedIPs
    // The nest is kept even when it is empty or partial, as wg does: REPLACE_ALLOWEDIPS
    // then still clears the list, and the next message goes on adding.
    let opened = w.array(.allowedIPs) { list in
      while i < ips.count {
        guard list.element({ encode(ips[i], into: &$0) }) else { break }
        i += 1
      }
      return true
    }
    if !opened || i < ips.count { stoppedAt = i }
    return true
  }

  static func encode(_ change: AllowedIPChange, into w: inout AttributeWriter<WGAllowedIPSet>)
    -> Bool
  {
    let ip = change.allowedIP
    guard w.put(.family, UInt16(ip.address.family)), w.put(.address, ip.address),
      w.put(.cidr, ip.cidr)
    else { return false }
    // Only sent when set, so plain additions work on kernels before 6.16.
    if change.remove { return w.put(.flags, WireGuardFamily.removeAllowedIPFlag) }
    return true
  }
}
