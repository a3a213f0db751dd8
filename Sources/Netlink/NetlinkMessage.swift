// Netlink messages as bytes: the 16-byte `nlmsghdr`, a family header (genlmsghdr,
// ifinfomsg, ...) and attributes. Pure; the socket lives in NetlinkSocket.swift.

/// `nlmsghdr` constants (`linux/netlink.h`).
public enum MessageHeader {
  /// `NLMSG_HDRLEN`.
  public static let size = 16
  /// `NLMSG_NOOP`, `NLMSG_ERROR`, `NLMSG_DONE`, `NLMSG_OVERRUN`.
  public static let noop: UInt16 = 1
  public static let error: UInt16 = 2
  public static let done: UInt16 = 3
  public static let overrun: UInt16 = 4
}

/// `nlmsg_flags` bits.
public struct MessageFlags: OptionSet, Sendable, Hashable {
  public let rawValue: UInt16
  public init(rawValue: UInt16) { self.rawValue = rawValue }

  public static let request = MessageFlags(rawValue: 0x01)
  public static let multi = MessageFlags(rawValue: 0x02)
  public static let ack = MessageFlags(rawValue: 0x04)
  public static let echo = MessageFlags(rawValue: 0x08)
  public static let dumpInterrupted = MessageFlags(rawValue: 0x10)
  /// `NLM_F_ROOT | NLM_F_MATCH` (GET requests).
  public static let dump = MessageFlags(rawValue: 0x300)
  // NEW requests.
  public static let replace = MessageFlags(rawValue: 0x100)
  public static let exclusive = MessageFlags(rawValue: 0x200)
  public static let create = MessageFlags(rawValue: 0x400)
  public static let append = MessageFlags(rawValue: 0x800)
}

/// A request ready to send: whole message bytes whose sequence number and port id the
/// connection fills in.
public struct NetlinkMessage: Sendable, Equatable {
  public private(set) var bytes: [UInt8]

  /// Wraps finished bytes (must start with an nlmsghdr whose length is right).
  public init(bytes: [UInt8]) { self.bytes = bytes }

  /// A message of `type` with `payload` (family header and attributes) after the nlmsghdr.
  public init(type: UInt16, flags: MessageFlags, payload: [UInt8]) {
    var builder = MessageBuilder<NoAttributes>(type: type, flags: flags, familyHeader: payload)
    self = builder.finish()
  }

  public var type: UInt16 { UInt16(hostEndianBytes: bytes[...], at: 4) ?? 0 }
  public var flags: MessageFlags {
    MessageFlags(rawValue: UInt16(hostEndianBytes: bytes[...], at: 6) ?? 0)
  }
  public var sequence: UInt32 { UInt32(hostEndianBytes: bytes[...], at: 8) ?? 0 }
  /// Everything after the nlmsghdr.
  public var payload: ArraySlice<UInt8> { bytes.dropFirst(MessageHeader.size) }

  /// Sets `nlmsg_seq` and `nlmsg_pid`.
  public mutating func stamp(sequence: UInt32, portID: UInt32) {
    guard bytes.count >= MessageHeader.size else { return }
    write(sequence, at: 8)
    write(portID, at: 12)
  }

  /// Zeroes the bytes in place (a SET request carries private keys). The connection wipes
  /// its own copy once sent; the sender's copy is the sender's to wipe.
  public mutating func wipe() { wipeBytes(&bytes) }

  mutating func write(_ value: UInt32, at offset: Int) {
    withUnsafeBytes(of: value) { raw in
      for i in 0..<4 { bytes[offset + i] = raw[i] }
    }
  }
}

/// The attribute set of a message that carries none.
public enum NoAttributes: AttributeSet {}

/// Builds one message: nlmsghdr, family header, then attributes of `Set` up to `limit` bytes.
///
///     var m = MessageBuilder<ControlSet>(type: 16, flags: [.request, .ack],
///                                         familyHeader: GenericHeader(command: 3).bytes)
///     m.attributes.put(.familyName, "wireguard")
///     let message = m.finish()
public struct MessageBuilder<Set: AttributeSet> {
  /// Writes this message's top-level attributes.
  public var attributes: AttributeWriter<Set>

  public init(type: UInt16, flags: MessageFlags, familyHeader: [UInt8], limit: Int = 32768) {
    var header: [UInt8] = []
    header.reserveCapacity(min(limit, 65536))
    // nlmsg_len (set by finish()), type, flags, nlmsg_seq (set when sent), nlmsg_pid (0:
    // the kernel fills it in).
    withUnsafeBytes(of: (UInt32(0), type, flags.rawValue, UInt32(0), UInt32(0))) {
      header.append(contentsOf: $0)
    }
    header += familyHeader
    while header.count % 4 != 0 { header.append(0) }
    attributes = AttributeWriter(bytes: header, limit: limit)
  }

  /// The message size so far.
  public var count: Int { attributes.count }

  /// The finished message with its length set. It shares the builder's storage (cut to
  /// what was written), so wiping one wipes the other.
  public mutating func finish() -> NetlinkMessage {
    let length = UInt32(truncatingIfNeeded: attributes.count)
    if attributes.count >= 4 {
      attributes.buffer.withUnsafeMutableBytes { $0.storeBytes(of: length, as: UInt32.self) }
    }
    return NetlinkMessage(bytes: attributes.takeBytes())
  }
}

/// `struct genlmsghdr`: command, version, 2 reserved bytes.
public struct GenericHeader: Sendable, Equatable {
  public var command: UInt8
  public var version: UInt8

  public init(command: UInt8, version: UInt8 = 1) {
    self.command = command
    self.version = version
  }

  public static let size = 4
  public var bytes: [UInt8] { [command, version, 0, 0] }

  /// Reads the header at the start of a message payload.
  public init(payload: ArraySlice<UInt8>) throws(NetlinkError) {
    guard payload.count >= Self.size else { throw .malformed("payload shorter than genlmsghdr") }
    command = payload[payload.startIndex]
    version = payload[payload.startIndex + 1]
  }
}

/// `struct ifinfomsg` (16 bytes): the family header of RTM_*LINK messages.
public struct InterfaceInfoHeader: Sendable, Equatable {
  public var family: UInt8
  /// ARPHRD_* device type.
  public var deviceType: UInt16
  public var index: Int32
  /// IFF_* flags and the mask of those to change.
  public var flags: UInt32
  public var change: UInt32

  public init(
    family: UInt8 = 0, deviceType: UInt16 = 0, index: Int32 = 0, flags: UInt32 = 0,
    change: UInt32 = 0
  ) {
    self.family = family
    self.deviceType = deviceType
    self.index = index
    self.flags = flags
    self.change = change
  }

  public static let size = 16

  public var bytes: [UInt8] {
    [family, 0] + deviceType.hostEndianBytes + index.hostEndianBytes + flags.hostEndianBytes
      + change.hostEndianBytes
  }

  public init(payload: ArraySlice<UInt8>) throws(NetlinkError) {
    guard payload.count >= Self.size,
      let deviceType = UInt16(hostEndianBytes: payload, at: 2),
      let index = Int32(hostEndianBytes: payload, at: 4),
      let flags = UInt32(hostEndianBytes: payload, at: 8),
      let change = UInt32(hostEndianBytes: payload, at: 12)
    else { throw .malformed("payload shorter than ifinfomsg") }
    self.init(
      family: payload[payload.startIndex], deviceType: deviceType, index: index, flags: flags,
      change: change)
  }
}
