import SWGCore

/// swg's entry point: wg's dispatch table (`wg.c`), words in, exit status out.
public enum SWG {
  /// The version wg's grammar and output follow.
  public static let toolsVersion = "1.0.20260223"

  typealias Command = @Sendable (inout CommandContext, [String]) -> Int32

  /// Subcommands in wg's order; the order is the usage text's order.
  static let commands: [(name: String, run: Command, summary: String)] = [
    ("show", ShowCommand.run, "Shows the current configuration and device information"),
    ("showconf", ShowConfCommand.run,
     "Shows the current configuration of a given WireGuard interface, for use with `setconf'"),
    ("set", SetCommand.run, "Change the current configuration, add peers, remove peers, or change peers"),
    ("setconf", ConfCommand.run, "Applies a configuration file to a WireGuard interface"),
    ("addconf", ConfCommand.run, "Appends a configuration file to a WireGuard interface"),
    ("syncconf", ConfCommand.run, "Synchronizes a configuration file to a WireGuard interface"),
    ("genkey", KeyCommands.genkey, "Generates a new private key and writes it to stdout"),
    ("genpsk", KeyCommands.genkey, "Generates a new preshared key and writes it to stdout"),
    ("pubkey", KeyCommands.pubkey, "Reads a private key from stdin and writes a public key to stdout"),
  ]

  static func usage(_ program: String, to out: inout Output) {
    out.append("Usage: \(program) <cmd> [<args>]\n\nAvailable subcommands:\n")
    for c in commands {
      out.append("  \(c.name): \(c.summary)\n")
    }
    out.append("You may pass `--help' to any of these subcommands to view usage.\n")
  }

  /// Runs argv (argv[0] included) and returns the exit status.
  public static func run(_ argv: [String], context: inout CommandContext) -> Int32 {
    if let first = argv.first { context.programName = first }
    let args = Array(argv.dropFirst())
    if args.count == 1 {
      switch args[0] {
      case "-v", "--version", "version":
        context.stdout.append(
          "wireguard-tools v\(toolsVersion) (swg) - https://git.zx2c4.com/wireguard-tools/\n")
        return 0
      case "-h", "--help", "help":
        usage(context.programName, to: &context.stdout)
        return 0
      default:
        break
      }
    }
    guard let name = args.first else {
      return ShowCommand.run(&context, ["show"])
    }
    for c in commands where c.name == name {
      return c.run(&context, args)
    }
    context.stderr.append("Invalid subcommand: `\(name)'\n")
    usage(context.programName, to: &context.stderr)
    return 1
  }
}
