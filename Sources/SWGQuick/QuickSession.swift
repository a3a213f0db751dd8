import Glibc
import Netlink
import SWGCore

/// One run of `up`, `down` or `save` on one interface: the settings, the rtnetlink socket,
/// the trace, and (during `up`) the journal of what has been done so far, which is undone
/// in reverse when a later step fails.
public final class QuickSession {
  public let settings: QuickSettings
  /// The config file, for `save`.
  public let configPath: String
  /// argv[0]'s base name, which prefixes error lines as wg-quick's `$PROGRAM` does.
  public let program: String
  let trace: Trace
  let runner: ProcessRunner
  let net: RouteSocket
  var journal: [UndoStep] = []
  /// The backend that reaches the device once it exists.
  var backend: (any WireGuardBackend)?

  public init(
    settings: QuickSettings, configPath: String, program: String, trace: Trace,
    runner: ProcessRunner = ProcessRunner()
  ) throws(QuickError) {
    self.settings = settings
    self.program = program
    self.configPath = configPath
    self.trace = trace
    self.runner = runner
    do {
      net = try RouteSocket()
    } catch {
      throw .message("opening a NETLINK_ROUTE socket failed: \(error)")
    }
  }

  var interface: String { settings.interface }

  /// Something `up` did that has to be undone if a later step fails.
  enum UndoStep {
    /// The link (kernel or userspace): deleting it takes its addresses and routes along.
    case link
    case rule(family: UInt8, table: UInt32, fwmark: UInt32?, invert: Bool, suppress: UInt32?)
    case dns(resolvectl: Bool)
    case sysctl(path: String, name: String, old: String)
    case firewall
  }

  // MARK: - Links

  /// The link with this name, nil when there is none.
  func link(named name: String) throws(QuickError) -> LinkEntry? {
    do {
      return try net.query(.getLink(name: name)).lazy.compactMap(LinkEntry.init).first
    } catch where error.code == ENODEV {
      return nil
    } catch {
      throw .message("reading interface \(name) failed: \(error)")
    }
  }

  /// The index of our interface; an error when it has gone.
  func interfaceIndex() throws(QuickError) -> Int32 {
    guard let link = try link(named: interface) else {
      throw .message("interface \(interface) disappeared")
    }
    return link.index
  }

  /// True when `name` is a WireGuard interface (`wg show interfaces` would list it): a
  /// kernel link of kind `wireguard`, or a userspace daemon's UAPI socket.
  func isWireGuardInterface(_ name: String) -> Bool {
    if let link = try? link(named: name), link.kind == "wireguard" { return true }
    return WireGuardAccess.isUserspace(name)
  }

  /// Performs one request; a failure becomes a one-line QuickError naming `operation`.
  func perform(_ request: RouteRequest, _ operation: @autoclosure () -> String, v6: Bool = false)
    throws(QuickError)
  {
    let result: [RouteNetlinkError?]
    do {
      result = try net.perform([request])
    } catch {
      throw .message(NetworkErrors.describe(operation(), error, v6: v6))
    }
    if let error = result.first ?? nil {
      throw .message(NetworkErrors.describe(operation(), error, v6: v6))
    }
  }

  /// Runs a hook list with `%i` replaced, each through `bash -c`, echoed first.
  func runHooks(_ hooks: [String]) throws(QuickError) {
    for hook in hooks {
      let text = hook.replacing("%i", with: interface)
      trace.command(text)
      trace.flush()
      let result = runner.run(["bash", "-e", "-o", "pipefail", "-c", text])
      guard result.status == 0 else { throw .commandFailed(status: result.status) }
    }
  }

  /// Runs a program with the trace line `shown` (what wg-quick would print for it).
  @discardableResult
  func runCommand(_ argv: [String], shown: String, input: String? = nil) throws(QuickError) -> ProcessResult {
    trace.command(shown)
    trace.flush()
    let result = runner.run(argv, input: input)
    if result.status == 127 && ProcessRunner.which(argv[0]) == nil {
      throw .message("`\(argv[0])' is not installed (needed for: \(shown))")
    }
    guard result.status == 0 else { throw .commandFailed(status: result.status) }
    return result
  }

  // MARK: - Undo

  /// Undoes the journal, newest first. Each step is tried even when an earlier one fails.
  func rollBack() {
    while let step = journal.popLast() {
      undo(step)
    }
    trace.flush()
  }

  func undo(_ step: UndoStep) {
    switch step {
    case .link:
      trace.command("ip link delete dev \(interface)")
      if let link = try? link(named: interface) {
        _ = try? net.perform([.deleteLink(index: link.index)])
      }
    case .rule(let family, let table, let fwmark, let invert, let suppress):
      let flag = family == RouteFamily.inet6 ? "-6" : "-4"
      trace.command(
        suppress != nil ? "ip \(flag) rule delete table main suppress_prefixlength 0" : "ip \(flag) rule delete table \(table)")
      _ = try? net.perform([
        .deleteRule(family: family, table: table, fwmark: fwmark, invert: invert, suppressPrefixLength: suppress)
      ])
    case .dns(let resolvectl):
      unsetDNS(resolvectl: resolvectl)
    case .sysctl(let path, let name, let old):
      trace.command("sysctl -q \(name)=\(old)")
      _ = writeSmallFile(path, old)
    case .firewall:
      removeFirewall()
    }
  }
}

/// Writes a short value to a /proc/sys file; false on failure.
func writeSmallFile(_ path: String, _ value: String) -> Bool {
  let fd = open(path, O_WRONLY | O_CLOEXEC)
  guard fd >= 0 else { return false }
  defer { close(fd) }
  let bytes = Array(value.utf8)
  return bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == bytes.count
}
