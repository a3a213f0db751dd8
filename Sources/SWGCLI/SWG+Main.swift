import Glibc
import SWGCore

extension SWG {
  /// Runs swg as a process: real environment and backends, stdout and stderr.
  public static func main(_ argv: [String]) -> Int32 {
    var context = CommandContext(
      programName: argv.first ?? "swg", environment: .current(), backend: SystemBackend.make(),
      stdout: Output(fd: STDOUT_FILENO), stderr: Output(fd: STDERR_FILENO))
    let status = run(argv, context: &context)
    context.stdout.flush()
    context.stderr.flush()
    return status
  }
}
