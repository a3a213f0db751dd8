// Replies as bytes: splitting a datagram into messages and reading nlmsghdr, the error
// code of NLMSG_ERROR and NLMSG_DONE. Pure functions; no socket here.
import CMnl
import Glibc

/// One message received from the kernel.
public struct NetlinkReply: Sendable {
  public var type: UInt16
  public var flags: MessageFlags
  public var sequence: UInt32
  public var portID: UInt32
  /// Everything after the nlmsghdr.
  public var payload: ArraySlice<UInt8>

  public init(
    type: UInt16, flags: MessageFlags, sequence: UInt32, portID: UInt32, payload: ArraySlice<UInt8>
  ) {
    self.type = type
    self.flags = flags
    self.sequence = sequence
    self.portID = portID
    self.payload = payload
  }

  /// Splits a received datagram into its messages. Throws when a length is inconsistent;
  /// a datagram ends at its last whole message (libmnl's `mnl_nlmsg_ok` rule).
  public static func split(_ datagram: [UInt8]) throws(NetlinkError) -> [NetlinkReply] {
    var replies: [NetlinkReply] = []
    var offset = 0
    while offset < datagram.count {
      let left = datagram.count - offset
      // The same test as libmnl's mnl_nlmsg_ok(), done on the bytes at `offset`.
      guard left >= MessageHeader.size,
        let length = UInt32(hostEndianBytes: datagram[...], at: offset),
        let type = UInt16(hostEndianBytes: datagram[...], at: offset + 4),
        let flags = UInt16(hostEndianBytes: datagram[...], at: offset + 6),
        let sequence = UInt32(hostEndianBytes: datagram[...], at: offset + 8),
        let portID = UInt32(hostEndianBytes: datagram[...], at: offset + 12),
        okByLibmnl(datagram, offset: offset, left: left)
      else { throw .malformed("truncated netlink message") }
      // libmnl compares `(int)nlmsg_len`, so a length of 2^31 or more passes its test: check here.
      let size = Int(length)
      guard size >= MessageHeader.size, size <= left else {
        throw .malformed("netlink message length \(size) with \(left) bytes left")
      }
      let start = offset + MessageHeader.size
      replies.append(
        NetlinkReply(
          type: type, flags: MessageFlags(rawValue: flags), sequence: sequence, portID: portID,
          payload: datagram[start..<(offset + size)]))
      offset += min(AttributeHeader.align(size), left)
    }
    return replies
  }

  /// libmnl's own check of a message header against the bytes left.
  private static func okByLibmnl(_ datagram: [UInt8], offset: Int, left: Int) -> Bool {
    datagram.withUnsafeBytes { raw -> Bool in
      guard let base = raw.baseAddress, left <= Int(Int32.max) else { return false }
      // Netlink headers are 4-byte aligned and so is every message offset; copy when the
      // buffer itself is not, so the header pointer is always aligned.
      let pointer = base + offset
      if Int(bitPattern: pointer) % MemoryLayout<nlmsghdr>.alignment == 0 {
        return mnl_nlmsg_ok(pointer.assumingMemoryBound(to: nlmsghdr.self), Int32(left))
      }
      var header = nlmsghdr()
      withUnsafeMutableBytes(of: &header) {
        $0.copyMemory(
          from: UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + MessageHeader.size)]))
      }
      return withUnsafePointer(to: &header) { mnl_nlmsg_ok($0, Int32(left)) }
    }
  }

  /// For NLMSG_ERROR: 0 for an ACK, else the positive errno. For NLMSG_DONE: the
  /// positive errno carried in its payload, or 0. Throws when the payload is too short
  /// (NLMSG_ERROR needs its int; NLMSG_DONE may be empty).
  public func errorCode() throws(NetlinkError) -> Int32 {
    guard let code = Int32(hostEndianBytes: payload, at: 0) else {
      if type == MessageHeader.done { return 0 }
      throw .malformed("NLMSG_ERROR without an error code")
    }
    // The kernel sends -errno; a positive value is not an errno, so report EPROTO.
    if code > 0 { return EPROTO }
    return code == Int32.min ? EPROTO : -code
  }

  /// Runs `body` with a reader over the payload after a fixed family header of
  /// `headerSize` bytes, as attributes of `Set`; throws when the payload is shorter.
  @inlinable public func withAttributes<Set: AttributeSet, R>(
    after headerSize: Int, as set: Set.Type = Set.self,
    _ body: (inout AttributeReader<Set>) throws(NetlinkError) -> R
  ) throws(NetlinkError) -> R {
    guard payload.count >= headerSize else {
      throw .malformed("payload shorter than its family header")
    }
    let skip = AttributeHeader.align(min(headerSize, payload.count))
    return try Netlink.withAttributes(in: payload.dropFirst(skip), as: set, body)
  }
}
