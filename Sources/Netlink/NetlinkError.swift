import Glibc

/// What went wrong talking netlink. Every case carries the errno a C tool would report.
public enum NetlinkError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The kernel refused a request: `NLMSG_ERROR` or an `NLMSG_DONE` carrying `-errno`.
  case kernel(errno: Int32)
  /// A syscall on the netlink socket failed.
  case system(call: String, errno: Int32)
  /// A dump reply had `NLM_F_DUMP_INTR`: the object changed while it was read.
  case dumpInterrupted
  /// A reply's bytes do not follow the format (lengths, sizes, required attributes).
  case malformed(String)
  /// A reply answered another request or another socket (sequence number or port id).
  case unexpectedReply(String)
  /// A request does not fit the message size limit.
  case noRoom

  /// The errno a C tool reports for this error.
  public var errno: Int32 {
    switch self {
    case .kernel(let e), .system(_, let e): return e
    case .dumpInterrupted: return EINTR
    case .malformed: return EBADMSG
    case .unexpectedReply: return EPROTO
    case .noRoom: return EMSGSIZE
    }
  }

  public var description: String {
    let text = strerror(errno).map { String(cString: $0) } ?? "Unknown error \(errno)"
    switch self {
    case .kernel, .dumpInterrupted, .noRoom: return text
    case .system(let call, _): return "\(call): \(text)"
    case .malformed(let why), .unexpectedReply(let why): return "\(text): \(why)"
    }
  }
}
