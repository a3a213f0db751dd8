/// Why swg-quick stopped. `description` is the text after `PROGRAM: `.
public enum QuickError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A one-line message, printed as `PROGRAM: message`, exit status 1.
  case message(String)
  /// A hook or a program we ran failed; it printed its own message. Exit with its status.
  case commandFailed(status: Int32)

  public var description: String {
    switch self {
    case .message(let text): return text
    case .commandFailed(let status): return "command failed with status \(status)"
    }
  }

  /// The process exit status for this error.
  public var exitStatus: Int32 {
    switch self {
    case .message: return 1
    case .commandFailed(let status): return status == 0 ? 1 : status
    }
  }
}
