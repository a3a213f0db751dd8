// WG_CMD_GET_DEVICE as bytes: the dump request, and the reply messages reassembled into one
// Device. Pure; KernelBackend does the reading.
import Glibc
import Netlink
import SWGCore

public enum GetDeviceRequest {
  /// The dump request for the device named `interface`.
  public static func message(interface: String, familyID: UInt16) -> NetlinkMessage {
    var m = MessageBuilder<WGDeviceSet>(
      type: familyID, flags: [.request, .ack, .dump],
      familyHeader: GenericHeader(
        command: WireGuardFamily.getDevice, version: WireGuardFamily.version
      ).bytes)
    m.attributes.put(.ifname, interface)
    return m.finish()
  }
}

/// Builds one Device from the messages of a GET_DEVICE dump.
///
/// The kernel splits a large device over many messages; a peer whose allowed IPs did not
/// fit is repeated at the start of the next message with its public key and the rest of
/// its list. As wg does, a peer with the same public key as the peer just before it is
/// that peer continued: its allowed IPs are appended there.
public struct DeviceDumpAssembler {
  public private(set) var device: Device

  /// `name` is used when no message names the device.
  public init(name: String) {
    device = Device(name: name)
  }

  /// Adds one reply message (nlmsghdr stripped: genlmsghdr and attributes).
  public mutating func add(_ reply: NetlinkReply) throws(NetlinkError) {
    try add(payload: reply.payload)
  }

  public mutating func add(payload: ArraySlice<UInt8>) throws(NetlinkError) {
    _ = try GenericHeader(payload: payload)
    try withRawBytes(payload.dropFirst(GenericHeader.size)) { (raw) throws(NetlinkError) in
      try add(attributes: raw)
    }
  }

  /// The attributes of one message, read from borrowed bytes.
  private mutating func add(attributes raw: UnsafeRawBufferPointer) throws(NetlinkError) {
    var attributes = AttributeReader<WGDeviceSet>(raw)
    while let a = try attributes.next() {
      switch a {
      case .ifindex: device.ifindex = try a.value(.ifindex)
      case .ifname: device.name = try a.value(.ifname)
      case .privateKey: device.privateKey = try a.value(.privateKey)
      case .publicKey: device.publicKey = try a.value(.publicKey)
      case .listenPort: device.listenPort = try a.value(.listenPort)
      case .fwmark: device.fwmark = try a.value(.fwmark)
      case .peers:
        var peers = a.elements(.peers)
        while var entry = try peers.next() {
          try addPeer(&entry)
        }
      default:
        break  // unknown attributes are skipped
      }
    }
  }

  private mutating func addPeer(_ entry: inout AttributeReader<WGPeerSet>) throws(NetlinkError) {
    var key: Key?
    var peer = Peer(publicKey: .zero)
    var allowedIPs: [AllowedIP] = []
    while let a = try entry.next() {
      switch a {
      case .publicKey: key = try a.value(.publicKey)
      case .presharedKey:
        let psk = try a.value(.presharedKey)
        peer.presharedKey = psk.isZero ? nil : psk
      case .endpoint:
        // wg ignores an endpoint that is neither a sockaddr_in nor a sockaddr_in6.
        peer.endpoint = try? a.value(.endpoint)
      case .persistentKeepalive:
        peer.persistentKeepalive = try a.value(.persistentKeepalive)
      case .lastHandshake: peer.lastHandshake = try a.value(.lastHandshake)
      case .rxBytes: peer.rxBytes = try a.value(.rxBytes)
      case .txBytes: peer.txBytes = try a.value(.txBytes)
      case .protocolVersion: peer.protocolVersion = try a.value(.protocolVersion)
      case .allowedIPs:
        var list = a.elements(.allowedIPs)
        if allowedIPs.isEmpty { allowedIPs.reserveCapacity(4) }
        while var ip = try list.next() {
          allowedIPs.append(try Self.allowedIP(&ip))
        }
      default:
        break
      }
    }
    guard let key else { throw .malformed("peer without a public key") }
    if let last = device.peers.indices.last, device.peers[last].publicKey == key {
      device.peers[last].allowedIPs += allowedIPs
      return
    }
    peer.publicKey = key
    peer.allowedIPs = allowedIPs
    appendWipingOldStorage(&device.peers, peer)
  }

  static func allowedIP(_ entry: inout AttributeReader<WGAllowedIPSet>) throws(NetlinkError)
    -> AllowedIP
  {
    var family: UInt16?
    var bytes: UnsafeRawBufferPointer?
    var cidr: UInt8?
    while let a = try entry.next() {
      switch a {
      case .family: family = try a.value(.family)
      case .address: bytes = a.payload  // length checked against the family below
      case .cidr: cidr = try a.value(.cidr)
      default: break
      }
    }
    guard let family, let bytes, let cidr else {
      throw .malformed("allowed IP without family, address or mask")
    }
    let address: IPAddress?
    switch Int32(family) {
    // Addresses are in network byte order; read them as words.
    case AF_INET:
      address =
        bytes.count == 4
        ? .v4(IPv4Address(UInt32(bigEndian: bytes.loadUnaligned(as: UInt32.self)))) : nil
    case AF_INET6:
      address =
        bytes.count == 16
        ? .v6(
          IPv6Address(
            high: UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self)),
            low: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))))
        : nil
    default: throw .malformed("allowed IP of address family \(family)")
    }
    guard let address, let ip = AllowedIP(address: address, cidr: cidr) else {
      throw .malformed("allowed IP with a bad address or mask")
    }
    return ip
  }
}
