import Glibc

/// DNS for the tunnel: resolvconf as wg-quick uses it; where resolvconf is missing but
/// systemd-resolved runs, resolvectl on the link instead.
public enum DNS {
  /// The text piped to `resolvconf -a`: one `nameserver` line per server, then one
  /// `search` line with every domain.
  public static func resolvconfInput(servers: [String], search: [String]) -> String {
    var s = ""
    for server in servers { s += "nameserver \(server)\n" }
    if !search.isEmpty { s += "search " + search.joined(separator: " ") + "\n" }
    return s
  }

  /// wg-quick's `resolvconf_iface_prefix`: with Debian's resolvconf (interface-order
  /// exists and `resolvconf` is not a symlink to something else), the first `NAME*`
  /// line of interface-order gives `NAME.`; otherwise nothing.
  public static func interfacePrefix() -> String {
    interfacePrefix(
      interfaceOrder: readSmallFile("/etc/resolvconf/interface-order"),
      resolvconfIsSymlink: resolvconfIsSymlink())
  }

  public static func interfacePrefix(interfaceOrder: String?, resolvconfIsSymlink: Bool) -> String {
    guard let interfaceOrder, !resolvconfIsSymlink else { return "" }
    for line in interfaceOrder.split(separator: "\n", omittingEmptySubsequences: false) {
      let l = line.trimmingWhitespace
      guard l.count >= 2, l.hasSuffix("*") else { continue }
      let name = l.dropLast()
      if name.utf8.allSatisfy({ c in
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x2d
      }) {
        return name + "."
      }
    }
    return ""
  }

  static func resolvconfIsSymlink() -> Bool {
    guard let path = ProcessRunner.which("resolvconf") else { return false }
    var st = stat()
    return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK
  }

  /// True when systemd-resolved is running: its varlink socket exists.
  public static func resolvedRuns() -> Bool {
    access(resolvedSocket, F_OK) == 0
  }

  /// systemd-resolved's varlink socket, present while it runs.
  public static let resolvedSocket = "/run/systemd/resolve/io.systemd.Resolve"

  /// The tool that gives the tunnel's DNS to the system.
  public enum Manager: Equatable, Sendable {
    /// `resolvconf -a`/`-d`, as wg-quick does.
    case resolvconf
    /// `resolvectl dns`/`domain`/`revert` on the link, where resolvconf is missing but
    /// systemd-resolved runs.
    case resolvectl
  }

  /// Which manager to use, or the one-line reason why there is none (the text after
  /// `DNS = SERVERS `).
  public static func manager(hasResolvconf: Bool, resolvedRuns: Bool, hasResolvectl: Bool)
    -> Result<Manager, ManagerMissing>
  {
    if hasResolvconf { return .success(.resolvconf) }
    if resolvedRuns && hasResolvectl { return .success(.resolvectl) }
    return .failure(ManagerMissing(resolvedRuns: resolvedRuns))
  }

  /// The manager on this system (PATH and the resolved socket).
  public static func manager() -> Result<Manager, ManagerMissing> {
    manager(
      hasResolvconf: ProcessRunner.which("resolvconf") != nil, resolvedRuns: resolvedRuns(),
      hasResolvectl: ProcessRunner.which("resolvectl") != nil)
  }

  /// Neither resolvconf nor a usable systemd-resolved: what is missing.
  public struct ManagerMissing: Error, Equatable, Sendable {
    public var resolvedRuns: Bool

    /// The error line for `DNS = servers` that cannot be set.
    public func message(servers: [String]) -> String {
      let what = "DNS = \(servers.joined(separator: ", ")) needs `resolvconf' (Debian: apt install resolvconf or openresolv)"
      if resolvedRuns {
        return what + ", or `resolvectl' for the running systemd-resolved; neither is on PATH"
      }
      return what + ", or systemd-resolved (with `resolvectl'); resolvconf is not on PATH and systemd-resolved is not running (no \(DNS.resolvedSocket))"
    }
  }

  /// The resolvectl commands that do what `resolvconf -a IF -m 0 -x` does through
  /// systemd's resolvconf shim: the link's DNS servers, then its domains: the search
  /// domains and `~.` (the shim's meaning of `-x`: the link is preferred for every name).
  public static func resolvectlCommands(interface: String, servers: [String], search: [String]) -> [[String]] {
    [["resolvectl", "dns", interface] + servers, ["resolvectl", "domain", interface] + search + ["~."]]
  }

  /// The nameservers `resolvconf -l` (or Debian's state file) lists for the interface:
  /// what `save` writes back as `DNS =` lines (search domains are not kept, as in wg-quick).
  public static func nameservers(in text: String) -> [String] {
    var out: [String] = []
    for line in text.split(separator: "\n") {
      let l = line.trimmingWhitespace
      guard l.hasPrefix("nameserver ") else { continue }
      let value = l.dropFirst("nameserver ".count)
      let ok = !value.isEmpty && value.utf8.allSatisfy { c in
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
          || "_=+:%.-".utf8.contains(c)
      }
      if ok { out.append(String(value)) }
    }
    return out
  }
}

extension StringProtocol {
  /// Without leading and trailing spaces and tabs (bash `read -r`'s trimming).
  var trimmingWhitespace: Substring {
    var s = Substring(self)
    while let f = s.first, f == " " || f == "\t" || f == "\r" { s = s.dropFirst() }
    while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
    return s
  }
}

extension QuickSession {
  /// wg-quick's `set_dns`, with resolvectl where resolvconf is missing but
  /// systemd-resolved runs; an error naming what is missing when neither is usable.
  func setDNS() throws(QuickError) {
    guard !settings.dnsServers.isEmpty else { return }
    switch DNS.manager() {
    case .failure(let missing):
      throw .message(missing.message(servers: settings.dnsServers))
    case .success(.resolvconf):
      let name = DNS.interfacePrefix() + interface
      try runCommand(
        ["resolvconf", "-a", name, "-m", "0", "-x"], shown: "resolvconf -a \(name) -m 0 -x",
        input: DNS.resolvconfInput(servers: settings.dnsServers, search: settings.dnsSearch))
      journal.append(.dns(resolvectl: false))
    case .success(.resolvectl):
      // Journalled first: a failure after `dns` succeeded must still revert the link.
      journal.append(.dns(resolvectl: true))
      for argv in DNS.resolvectlCommands(interface: interface, servers: settings.dnsServers, search: settings.dnsSearch) {
        let shown = argv.joined(separator: " ")
        trace.command(shown)
        trace.flush()
        let result = runner.run(argv)
        guard result.status == 0 else {
          throw .message("setting DNS for \(interface) through systemd-resolved failed: `\(shown)' exited with status \(result.status)")
        }
      }
    }
  }

  /// wg-quick's `unset_dns` (failures ignored, as there).
  func unsetDNS(resolvectl: Bool) {
    if resolvectl {
      trace.command("resolvectl revert \(interface)")
      trace.flush()
      _ = runner.run(["resolvectl", "revert", interface])
    } else {
      let name = DNS.interfacePrefix() + interface
      trace.command("resolvconf -d \(name) -f")
      trace.flush()
      _ = runner.run(["resolvconf", "-d", name, "-f"])
    }
  }

  /// For `down`: the manager whose entry for the interface is to be removed, nil when the
  /// config has no DNS or no manager is usable. resolvectl's revert needs the link, so it
  /// runs before the link is deleted; resolvconf's `-d` runs after, as in wg-quick.
  func dnsManagerForDown() -> DNS.Manager? {
    guard !settings.dnsServers.isEmpty, case .success(let m) = DNS.manager() else { return nil }
    return m
  }
}
