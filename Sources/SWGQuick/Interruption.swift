import Glibc

/// SIGINT/SIGTERM during `up` (wg-quick's `trap 'del_if; exit' INT TERM EXIT`): the signal
/// only records its number; `up` checks it between steps (a hook or program running then
/// is waited for, or fails itself when the signal reached its process group as Ctrl-C
/// does) and rolls everything back, exiting with 128 + the signal number.
enum Interruption {
  nonisolated(unsafe) private static var signalNumber: sig_atomic_t = 0

  static var requested: Bool { signalNumber != 0 }

  /// `SIGINT` or `SIGTERM` once one has arrived.
  static var signalName: String? {
    switch signalNumber {
    case 0: return nil
    case SIGINT: return "SIGINT"
    case SIGTERM: return "SIGTERM"
    default: return "signal \(signalNumber)"
    }
  }

  /// 128 + the signal's number once one has arrived (what a shell reports for a process
  /// killed by it).
  static var exitStatus: Int32? { requested ? 128 + signalNumber : nil }

  static func install() {
    signalNumber = 0
    signal(SIGINT) { Interruption.signalNumber = $0 }
    signal(SIGTERM) { Interruption.signalNumber = $0 }
  }

  static func restore() {
    signal(SIGINT, SIG_DFL)
    signal(SIGTERM, SIG_DFL)
  }
}
