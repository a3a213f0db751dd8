// What the kernel says when it refuses a request: the errno of NLMSG_ERROR and, on a
// socket with NETLINK_EXT_ACK, the extended-ack text that follows the echoed request.
import Glibc

/// Extended-ack attributes after the echoed request (`linux/netlink.h` NLMSGERR_ATTR_*).
public enum ExtendedAckSet: AttributeSet {}

extension Attribute where Set == ExtendedAckSet, Value == String {
  /// `NLMSGERR_ATTR_MSG`: the kernel's reason, such as "Unknown device type".
  public static var message: Self { Self(1) }
}

extension Attribute where Set == ExtendedAckSet, Value == UInt32 {
  /// `NLMSGERR_ATTR_OFFS`: where in the request the offending attribute starts.
  public static var offset: Self { Self(2) }
}

/// The kernel refused one request: its errno and extended-ack text, when it sent one.
public struct KernelError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A positive errno value.
  public var code: Int32
  /// `NLMSGERR_ATTR_MSG`; nil when the kernel sent none (or the socket did not ask).
  public var message: String?

  public init(code: Int32, message: String? = nil) {
    self.code = code
    self.message = message
  }

  /// `strerror`, then the kernel's text in parentheses when there is one.
  public var description: String {
    let text = strerror(code).map { String(cString: $0) } ?? "Unknown error \(code)"
    guard let message, !message.isEmpty else { return text }
    return "\(text) (\(message))"
  }
}

/// How the kernel answered one request of a batch.
public struct RequestResult: Sendable, Equatable {
  /// The refusal; nil for an ACK, or for a dump that ended without error.
  public var error: KernelError?
  /// A reply to this request had NLM_F_DUMP_INTR: the dump may be inconsistent.
  public var interrupted: Bool

  public init(error: KernelError? = nil, interrupted: Bool = false) {
    self.error = error
    self.interrupted = interrupted
  }
}

extension MessageFlags {
  /// In an NLMSG_ERROR: only the request's nlmsghdr was echoed (`NLM_F_CAPPED`).
  public static let capped = MessageFlags(rawValue: 0x100)
  /// In an NLMSG_ERROR or NLMSG_DONE: extended-ack attributes follow (`NLM_F_ACK_TLVS`).
  public static let ackTLVs = MessageFlags(rawValue: 0x200)
}

extension NetlinkReply {
  /// For NLMSG_ERROR and NLMSG_DONE: nil when the request succeeded, else the errno with
  /// the extended-ack message. Throws only when the error code itself is missing; bad
  /// extended-ack bytes lose the message, not the error.
  public func kernelError() throws(NetlinkError) -> KernelError? {
    let code = try errorCode()
    guard code != 0 else { return nil }
    return KernelError(code: code, message: extendedAckMessage())
  }

  /// NLMSGERR_ATTR_MSG of an NLMSG_ERROR or NLMSG_DONE, nil when absent or unreadable.
  public func extendedAckMessage() -> String? {
    guard flags.contains(.ackTLVs) else { return nil }
    // NLMSG_DONE: int error, then attributes. NLMSG_ERROR: int error, the echoed request
    // (its header only when capped), then attributes.
    var skip = 4
    if type == MessageHeader.error {
      skip += MessageHeader.size
      if !flags.contains(.capped) {
        guard let echoed = UInt32(hostEndianBytes: payload, at: 4),
          echoed >= UInt32(MessageHeader.size), echoed <= UInt32(payload.count - 4)
        else { return nil }
        skip = 4 + AttributeHeader.align(Int(echoed))
      }
    }
    guard skip <= payload.count else { return nil }
    var message: String?
    do {
      try Netlink.withAttributes(in: payload.dropFirst(skip), as: ExtendedAckSet.self) {
        (attributes) throws(NetlinkError) in
        while let a = try attributes.next() {
          if case .message = a { message = try a.value(.message) }
        }
      }
    } catch {
      return message
    }
    return message
  }
}
