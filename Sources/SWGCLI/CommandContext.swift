import Glibc
import SWGCore

/// Everything a subcommand touches: its words, the environment, a backend and two outputs.
/// Tests build one with a fake backend and no descriptors, then read the outputs.
public struct CommandContext {
  /// argv[0] of the process, printed where wg prints PROG_NAME.
  public var programName: String
  public var environment: Environment
  public var backend: any WireGuardBackend
  public var stdout: Output
  public var stderr: Output
  /// Where `pubkey` reads from.
  public var stdin: Int32

  public init(
    programName: String = "wg", environment: Environment = Environment(),
    backend: any WireGuardBackend, stdout: Output = Output(), stderr: Output = Output(),
    stdin: Int32 = STDIN_FILENO
  ) {
    self.programName = programName
    self.environment = environment
    self.backend = backend
    self.stdout = stdout
    self.stderr = stderr
    self.stdin = stdin
  }

  /// Prints one line on stderr right away (wg's stderr is unbuffered).
  public mutating func error(_ line: String) {
    stderr.append(line)
    stderr.append(byte: 10)
    stderr.flush()
  }

  /// `PREFIX: strerror`, as perror prints it.
  public mutating func error(_ prefix: String, _ error: any Error) {
    self.error("\(prefix): \(describe(error))")
  }

  /// The strerror text for backend errors that carry an errno, else the error's own text.
  func describe(_ error: any Error) -> String {
    if let e = error as? any ErrnoConvertible { return e.errno.description }
    if let e = error as? any CustomStringConvertible { return e.description }
    return "\(error)"
  }
}
