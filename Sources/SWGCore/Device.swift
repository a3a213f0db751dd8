/// A point in time as the kernel reports it (`struct __kernel_timespec`).
public struct Timespec: Hashable, Sendable, Comparable {
  public var seconds: Int64
  public var nanoseconds: Int64

  public init(seconds: Int64 = 0, nanoseconds: Int64 = 0) {
    self.seconds = seconds
    self.nanoseconds = nanoseconds
  }

  /// The zero time means "never".
  public var isZero: Bool { seconds == 0 && nanoseconds == 0 }

  public static func < (a: Timespec, b: Timespec) -> Bool {
    (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds)
  }
}

/// A WireGuard interface as a backend reports it: what is there now.
public struct Device: Sendable, Equatable {
  /// Interface name, at most 15 bytes.
  public var name: String
  /// Kernel interface index; 0 for a userspace device.
  public var ifindex: UInt32
  /// nil when the device has no identity.
  public var privateKey: Key?
  /// Derived from the private key; nil when there is none.
  public var publicKey: Key?
  /// 0 when unset.
  public var listenPort: UInt16
  /// 0 means off.
  public var fwmark: UInt32
  /// In backend order (kernel list order; wireguard-go's is unordered).
  public var peers: [Peer]

  public init(
    name: String, ifindex: UInt32 = 0, privateKey: Key? = nil, publicKey: Key? = nil,
    listenPort: UInt16 = 0, fwmark: UInt32 = 0, peers: [Peer] = []
  ) {
    self.name = name
    self.ifindex = ifindex
    self.privateKey = privateKey
    self.publicKey = publicKey
    self.listenPort = listenPort
    self.fwmark = fwmark
    self.peers = peers
  }
}

/// A peer of a device as a backend reports it.
public struct Peer: Sendable, Equatable {
  public var publicKey: Key
  /// nil when no preshared key is set (the protocols send zeros for none).
  public var presharedKey: Key?
  public var endpoint: Endpoint?
  /// Seconds; 0 means off.
  public var persistentKeepalive: UInt16
  /// Zero when there has been no handshake.
  public var lastHandshake: Timespec
  public var rxBytes: UInt64
  public var txBytes: UInt64
  public var allowedIPs: [AllowedIP]
  /// 1 for every current implementation.
  public var protocolVersion: UInt32

  public init(
    publicKey: Key, presharedKey: Key? = nil, endpoint: Endpoint? = nil,
    persistentKeepalive: UInt16 = 0, lastHandshake: Timespec = Timespec(), rxBytes: UInt64 = 0,
    txBytes: UInt64 = 0, allowedIPs: [AllowedIP] = [], protocolVersion: UInt32 = 1
  ) {
    self.publicKey = publicKey
    self.presharedKey = presharedKey
    self.endpoint = endpoint
    self.persistentKeepalive = persistentKeepalive
    self.lastHandshake = lastHandshake
    self.rxBytes = rxBytes
    self.txBytes = txBytes
    self.allowedIPs = allowedIPs
    self.protocolVersion = protocolVersion
  }
}
