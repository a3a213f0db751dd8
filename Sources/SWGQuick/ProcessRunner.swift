import Glibc

/// The outcome of a child process.
public struct ProcessResult: Sendable {
  /// The exit status; 128+N when killed by signal N; 127 when it could not start.
  public var status: Int32
  /// Standard output, when it was captured.
  public var output: String
}

/// Runs external programs (hooks, resolvconf, nft, iptables-restore, wireguard-go) with
/// posix_spawn: no shell unless asked for, stdin fed from a string, stdout passed through
/// or captured, stderr passed through.
public struct ProcessRunner: Sendable {
  public init() {}

  /// Runs `argv` found on PATH. `input`, when given, is written to its stdin (else stdin is
  /// inherited); `capture` collects stdout instead of passing it on; `quiet` sends stderr
  /// to /dev/null.
  public func run(
    _ argv: [String], input: String? = nil, capture: Bool = false, quiet: Bool = false
  ) -> ProcessResult {
    guard let program = argv.first else { return ProcessResult(status: 127, output: "") }
    var inPipe: [Int32] = [-1, -1]
    var outPipe: [Int32] = [-1, -1]
    if input != nil, !makePipe(&inPipe) { return ProcessResult(status: 127, output: "") }
    if capture, !makePipe(&outPipe) {
      closeAll(inPipe)
      return ProcessResult(status: 127, output: "")
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    if input != nil { posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0) }
    if capture { posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1) }
    if quiet { posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0) }

    let cArgs = argv.map { strdup($0) }
    defer { cArgs.forEach { free($0) } }
    var pid: pid_t = 0
    let rc = (cArgs + [nil]).withUnsafeBufferPointer { args -> Int32 in
      guard let base = args.baseAddress else { return EINVAL }
      return posix_spawnp(&pid, program, &actions, nil, base, environ)
    }
    if input != nil { close(inPipe[0]) }
    if capture { close(outPipe[1]) }
    guard rc == 0 else {
      if input != nil { close(inPipe[1]) }
      if capture { close(outPipe[0]) }
      return ProcessResult(status: 127, output: "")
    }
    if let input {
      // SIGPIPE is ignored process-wide (see SWGQuick.main), so a child that stops
      // reading gives EPIPE here instead of killing us.
      var bytes = Array(input.utf8)[...]
      while !bytes.isEmpty {
        let n = bytes.withUnsafeBytes { write(inPipe[1], $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        guard n > 0 else { break }
        bytes = bytes.dropFirst(n)
      }
      close(inPipe[1])
    }
    var output: [UInt8] = []
    if capture {
      var chunk = [UInt8](repeating: 0, count: 65536)
      while true {
        let n = chunk.withUnsafeMutableBytes { read(outPipe[0], $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        guard n > 0 else { break }
        output += chunk[0..<n]
      }
      close(outPipe[0])
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 {
      if errno != EINTR { return ProcessResult(status: 127, output: "") }
    }
    let exit: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    return ProcessResult(status: exit, output: String(decoding: output, as: UTF8.self))
  }

  /// The full path of a program on PATH, as `type -p` finds it; nil when absent.
  public static func which(_ name: String) -> String? {
    if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
    let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/sbin:/usr/bin:/sbin:/bin"
    for dir in path.split(separator: ":", omittingEmptySubsequences: false) {
      let candidate = (dir.isEmpty ? "." : String(dir)) + "/" + name
      var st = stat()
      if stat(candidate, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, access(candidate, X_OK) == 0 {
        return candidate
      }
    }
    return nil
  }

  /// A pipe whose ends are closed on exec (posix_spawn's dup2 clears that on the copy).
  private func makePipe(_ fds: inout [Int32]) -> Bool {
    guard pipe(&fds) == 0 else { return false }
    _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
    _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
    return true
  }

  private func closeAll(_ fds: [Int32]) {
    for fd in fds where fd >= 0 { close(fd) }
  }
}
