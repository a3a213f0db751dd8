import Glibc

/// SIGINT/SIGTERM during `up` (wg-quick's `trap 'del_if; exit' INT TERM EXIT`): the signal
/// only sets a flag; `up` checks it between steps and rolls back.
enum Interruption {
  nonisolated(unsafe) private static var flag: sig_atomic_t = 0

  static var requested: Bool { flag != 0 }

  static func install() {
    flag = 0
    signal(SIGINT) { _ in Interruption.flag = 1 }
    signal(SIGTERM) { _ in Interruption.flag = 1 }
  }

  static func restore() {
    signal(SIGINT, SIG_DFL)
    signal(SIGTERM, SIG_DFL)
  }
}
