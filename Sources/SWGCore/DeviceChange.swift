/// What to change on a device. An optional field left nil means "leave as it is".
///
/// Both backends take the same value, so code above them never knows which transport
/// it talks to. It maps one to one onto `WG_CMD_SET_DEVICE` and onto UAPI `set=1`.
public struct DeviceChange: Sendable, Equatable {
  /// The all-zero key removes the device's identity.
  public var privateKey: Key?
  /// 0 picks a random port.
  public var listenPort: UInt16?
  /// 0 turns the mark off.
  public var fwmark: UInt32?
  /// Remove every peer before applying `peers`.
  public var replacePeers: Bool
  /// Applied in order.
  public var peers: [PeerChange]

  public init(
    privateKey: Key? = nil, listenPort: UInt16? = nil, fwmark: UInt32? = nil,
    replacePeers: Bool = false, peers: [PeerChange] = []
  ) {
    self.privateKey = privateKey
    self.listenPort = listenPort
    self.fwmark = fwmark
    self.replacePeers = replacePeers
    self.peers = peers
  }

  /// True when applying it would send nothing but the interface name.
  public var isEmpty: Bool {
    privateKey == nil && listenPort == nil && fwmark == nil && !replacePeers && peers.isEmpty
  }
}

/// What to change on one peer, named by its public key.
public struct PeerChange: Sendable, Equatable {
  public var publicKey: Key
  /// Remove the peer; nothing else is sent for it.
  public var remove: Bool
  /// Change the peer only if it exists already; never create it.
  public var updateOnly: Bool
  /// The all-zero key removes the preshared key.
  public var presharedKey: Key?
  /// There is no way to unset an endpoint, in either protocol.
  public var endpoint: Endpoint?
  /// 0 turns keepalive off.
  public var persistentKeepalive: UInt16?
  /// Drop the peer's allowed IPs before applying `allowedIPs`.
  public var replaceAllowedIPs: Bool
  public var allowedIPs: [AllowedIPChange]

  public init(
    publicKey: Key, remove: Bool = false, updateOnly: Bool = false, presharedKey: Key? = nil,
    endpoint: Endpoint? = nil, persistentKeepalive: UInt16? = nil,
    replaceAllowedIPs: Bool = false, allowedIPs: [AllowedIPChange] = []
  ) {
    self.publicKey = publicKey
    self.remove = remove
    self.updateOnly = updateOnly
    self.presharedKey = presharedKey
    self.endpoint = endpoint
    self.persistentKeepalive = persistentKeepalive
    self.replaceAllowedIPs = replaceAllowedIPs
    self.allowedIPs = allowedIPs
  }
}
