import Glibc
import SWGCore

/// Why a daemon's reply was refused. Every case reads as EPROTO ("Protocol error"),
/// as wg reports them, except where a case says otherwise.
public enum UAPIReplyError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The connection ended before the blank line that closes a reply.
  case endedEarly
  /// A line without `=`.
  case missingEquals(line: Int)
  /// A NUL byte inside a line (wg's strlen would cut the line there).
  case nulByte(line: Int)
  /// A known key with a value it cannot hold.
  case badValue(key: String, line: Int)
  /// The blank line came without an `errno=` line before it.
  case missingErrno
  case lineTooLong(line: Int)
  case replyTooLong
  case tooManyPeers
  case tooManyAllowedIPs
  /// An endpoint whose address or port is not numeric: wg's getaddrinfo fails, and wg
  /// then reports ENETUNREACH.
  case unresolvableEndpoint(line: Int)
  /// The daemon answered with this errno, after wg's sign rules (see `UAPIGetParser`).
  case daemon(Errno)

  /// The errno wg would report for this reply.
  public var errno: Errno {
    switch self {
    case .unresolvableEndpoint: return Errno(ENETUNREACH)
    case .daemon(let e): return e
    default: return .protocolError
    }
  }

  public var description: String {
    switch self {
    case .endedEarly: return "reply ended before its closing blank line"
    case .missingEquals(let line): return "line \(line) has no '='"
    case .nulByte(let line): return "line \(line) contains a NUL byte"
    case .badValue(let key, let line): return "line \(line): bad value for \(key)"
    case .missingErrno: return "reply has no errno line"
    case .lineTooLong(let line): return "line \(line) is too long"
    case .replyTooLong: return "reply is too long"
    case .tooManyPeers: return "reply has too many peers"
    case .tooManyAllowedIPs: return "reply has too many allowed IPs"
    case .unresolvableEndpoint(let line): return "line \(line): endpoint is not numeric"
    case .daemon(let e): return "daemon reported: \(e)"
    }
  }
}

/// An operation on a userspace interface failed.
///
/// `errno` is what wg reports for the same failure (its text follows
/// `Unable to access interface: ` or `Unable to modify interface: `). `description` is that
/// text too, except that it names the socket when the socket refused us (EACCES/EPERM) or
/// timed out, which wg does not say.
public struct UAPIError: Error, ErrnoConvertible, CustomStringConvertible, Sendable, Equatable {
  public enum Stage: Sendable, Equatable {
    /// Finding or connecting to the socket.
    case connect
    /// Sending the request.
    case send
    /// Reading the reply.
    case receive
  }

  public var errno: Errno
  /// The socket path that was used.
  public var socketPath: String
  public var stage: Stage
  /// Why a reply was refused, when it was.
  public var reply: UAPIReplyError?

  public init(errno: Errno, socketPath: String, stage: Stage, reply: UAPIReplyError? = nil) {
    self.errno = errno
    self.socketPath = socketPath
    self.stage = stage
    self.reply = reply
  }

  public var description: String {
    switch errno.rawValue {
    case EACCES, EPERM, ETIMEDOUT: return "\(errno) (\(socketPath))"
    default: return errno.description
    }
  }

  /// Everything known, for logs: the errno text, the socket and the reply's fault.
  public var detailedDescription: String {
    var s = "\(errno) (\(socketPath), \(stage))"
    if let reply { s += ": \(reply)" }
    return s
  }
}
