import Glibc
import SWGConfig
import SWGCore

/// `swg-quick [ up | down | save | strip ] [ CONFIG_FILE | INTERFACE ]`: wg-quick's command
/// line, usage text and exit codes.
public enum QuickCommand {
  /// Runs the command and returns the exit status.
  public static func main(_ arguments: [String]) -> Int32 {
    let program = arguments.first.map(baseName) ?? "swg-quick"
    let args = Array(arguments.dropFirst())
    signal(SIGPIPE, SIG_IGN)
    // wg-quick exports LC_ALL=C; hooks see it too.
    setenv("LC_ALL", "C", 1)
    let trace = Trace()
    defer { trace.flush() }

    if args.count == 1, ["--help", "-h", "help"].contains(args[0]) {
      trace.line(usage(program: program))
      return 0
    }
    guard args.count == 2, ["up", "down", "save", "strip"].contains(args[0]) else {
      trace.line(usage(program: program))
      return 1
    }
    if geteuid() != 0 { return becomeRoot(program: program, arguments: arguments) }
    do {
      try run(verb: args[0], argument: args[1], program: program, trace: trace)
      return 0
    } catch {
      if case .message(let text) = error { trace.line("\(program): \(text)") }
      return error.exitStatus
    }
  }

  static func run(verb: String, argument: String, program: String, trace: Trace) throws(QuickError) {
      let location = try ConfigLocation(argument: argument)
      if let warning = location.worldAccessibleWarning { trace.line(warning) }
      var text: [UInt8]
      switch ConfigFileReader.read(location.path) {
      case .success(let bytes): text = bytes
      case .failure(.system(let e)):
        throw .message("`\(location.path)' could not be read: \(e)")
      case .failure(.tooLarge):
        throw .message(
          "`\(location.path)' is larger than \(ConfigFileReader.maxSize >> 20) MiB; refusing it")
      }
      // The file holds the private key: zeroed once parsed, as is the WireGuard part the
      // parse keeps (shared with the settings) when the verb is done.
      defer { wipe(&text) }
      let config: WgQuickConfig
      do {
        config = try WgQuickConfig.parse(text, fileName: location.path)
      } catch {
        if case .invalidBoolean(let value) = error.error {
          throw .message("`\(value)' is neither true nor false")
        }
        throw .message("\(location.path):\(error.line): \(error)")
      }
      defer { wipeSharedStorage(of: config.wgConfig) }
      if verb == "strip" {
        trace.flush()
        let stripped = config.strippedText
        writeAll(STDOUT_FILENO, stripped)
        wipeSharedStorage(of: stripped)
        return
      }
      let settings = QuickSettings(interface: location.interface, config: config)
      let session = try QuickSession(
        settings: settings, configPath: location.path, program: program, trace: trace)
      switch verb {
      case "up": try session.up()
      case "down": try session.down()
      default: try session.save()
      }
  }

  /// wg-quick's usage text with PROGRAM filled in.
  public static func usage(program: String) -> String {
    """
    Usage: \(program) [ up | down | save | strip ] [ CONFIG_FILE | INTERFACE ]

      CONFIG_FILE is a configuration file, whose filename is the interface name
      followed by `.conf'. Otherwise, INTERFACE is an interface name, with
      configuration found at /etc/wireguard/INTERFACE.conf. It is to be readable
      by wg(8)'s `setconf' sub-command, with the exception of the following additions
      to the [Interface] section, which are handled by \(program):

      - Address: may be specified one or more times and contains one or more
        IP addresses (with an optional CIDR mask) to be set for the interface.
      - DNS: an optional DNS server to use while the device is up.
      - MTU: an optional MTU for the interface; if unspecified, auto-calculated.
      - Table: an optional routing table to which routes will be added; if
        unspecified or `auto', the default table is used. If `off', no routes
        are added.
      - PreUp, PostUp, PreDown, PostDown: script snippets which will be executed
        by bash(1) at the corresponding phases of the link, most commonly used
        to configure DNS. The string `%i' is expanded to INTERFACE.
      - SaveConfig: if set to `true', the configuration is saved from the current
        state of the interface upon shutdown.

    See wg-quick(8) for more info and examples.
    """
  }

  static func baseName(_ path: String) -> String {
    String(path.split(separator: "/", omittingEmptySubsequences: false).last ?? Substring(path))
  }

  /// wg-quick's `auto_su`: re-run through sudo with its password prompt.
  static func becomeRoot(program: String, arguments: [String]) -> Int32 {
    let prompt = "\(program) must be run as root. Please enter the password for %u to continue: "
    let selfPath = "/proc/self/exe"
    var resolved = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let n = readlink(selfPath, &resolved, resolved.count - 1)
    let me = n > 0 ? String(decoding: resolved[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : arguments[0]
    let argv = ["sudo", "-p", prompt, "--", me] + arguments.dropFirst()
    let cArgs = argv.map { strdup($0) } + [nil]
    execvp("sudo", cArgs)
    let text = "\(program) must be run as root, and sudo could not be run: \(String(cString: strerror(errno)))\n"
    writeAll(STDERR_FILENO, Array(text.utf8))
    return 1
  }

  static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
    var rest = bytes[...]
    while !rest.isEmpty {
      let n = rest.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else { return }
      rest = rest.dropFirst(n)
    }
  }
}
