import Glibc
import Netlink
import SWGConfig
import SWGCore

extension QuickSession {
  /// `down`: PreDown, save when SaveConfig is on, the rules `up` added for a default
  /// route, the link (its addresses and routes go with it), DNS, firewall, PostDown.
  public func down() throws(QuickError) {
    guard isWireGuardInterface(interface) else {
      throw .message("`\(interface)' is not a WireGuard interface")
    }
    backend = WireGuardAccess.backend(for: interface)
    do {
      try runHooks(settings.preDown)
      if settings.saveConfig { try saveSteps() }
      let dns = dnsManagerForDown()
      if dns == .resolvectl { unsetDNS(resolvectl: true) }
      try deleteInterface()
      if dns == .resolvconf { unsetDNS(resolvectl: false) }
      removeFirewall()
      try runHooks(settings.postDown)
    } catch {
      if case .message(let text) = error { trace.line("\(program): \(text)") }
      trace.flush()
      throw .commandFailed(status: error.exitStatus)
    }
    trace.flush()
  }

  /// `save`: writes the running configuration back to the config file.
  public func save() throws(QuickError) {
    guard isWireGuardInterface(interface) else {
      throw .message("`\(interface)' is not a WireGuard interface")
    }
    backend = WireGuardAccess.backend(for: interface)
    try saveSteps()
    trace.flush()
  }

  /// wg-quick's `del_if`: with Table unset or auto and a /0 among the allowed IPs, every
  /// rule pointing at the fwmark's table and every `main suppress_prefixlength 0` rule,
  /// IPv4 then IPv6; then the link.
  private func deleteInterface() throws(QuickError) {
    let auto = settings.table == nil || settings.table == "auto" || settings.table == ""
    if auto, let device = try? backend?.device(named: interface), device.fwmark != 0,
      device.peers.contains(where: { $0.allowedIPs.contains { $0.cidr == 0 } })
    {
      let table = device.fwmark
      for family in [RouteFamily.inet, RouteFamily.inet6] {
        let flag = family == RouteFamily.inet6 ? "-6" : "-4"
        let rules = ((try? net.query(.dumpRules(family: family))) ?? []).compactMap(RuleEntry.init)
        for r in rules where r.table == table {
          trace.command("ip \(flag) rule delete table \(table)")
          try perform(
            .deleteRule(family: family, table: table, fwmark: r.fwmark, priority: r.priority),
            "deleting rule `lookup \(table)'", v6: family == RouteFamily.inet6)
        }
        for r in rules where r.table == RouteTableID.main && r.suppressPrefixLength == 0 && r.fwmark == nil {
          trace.command("ip \(flag) rule delete table main suppress_prefixlength 0")
          try perform(
            .deleteRule(family: family, table: RouteTableID.main, suppressPrefixLength: 0, priority: r.priority),
            "deleting rule `table main suppress_prefixlength 0'", v6: family == RouteFamily.inet6)
        }
      }
    }
    trace.command("ip link delete dev \(interface)")
    guard let link = try link(named: interface) else {
      throw .message("deleting interface \(interface) failed: it does not exist")
    }
    try perform(.deleteLink(index: link.index), "deleting interface \(interface)")
  }

  /// wg-quick's `save_config`: an `[Interface]` block from the live state (addresses,
  /// DNS servers, MTU when the file set one, Table, SaveConfig, hooks) in place of
  /// showconf's `[Interface]` line, written atomically with mode 0600.
  func saveSteps() throws(QuickError) {
    let index = try interfaceIndex()
    var block = "[Interface]\n"
    for a in ((try? net.query(.dumpAddresses(family: RouteFamily.unspecified))) ?? []).compactMap(AddressEntry.init)
    where a.index == UInt32(bitPattern: index) {
      let address: IPAddress? =
        a.family == RouteFamily.inet6
        ? IPv6Address(bytes: a.address).map { .v6($0) } : IPv4Address(bytes: a.address).map { .v4($0) }
      if let address { block += "Address = \(address)/\(a.prefixLength)\n" }
    }
    for server in savedNameservers() { block += "DNS = \(server)\n" }
    if settings.mtu != nil,
      let mtu = (try? net.query(.getLink(index: index)))?.lazy.compactMap(LinkEntry.init).first?.mtu
    {
      block += "MTU = \(mtu)\n"
    }
    if let table = settings.table { block += "Table = \(table)\n" }
    if settings.saveConfig { block += "SaveConfig = true\n" }
    for h in settings.preUp { block += "PreUp = \(h)\n" }
    for h in settings.postUp { block += "PostUp = \(h)\n" }
    for h in settings.preDown { block += "PreDown = \(h)\n" }
    for h in settings.postDown { block += "PostDown = \(h)\n" }

    trace.command("wg showconf \(interface)")
    guard let backend else { throw .message("no backend for \(interface)") }
    let device: Device
    do {
      device = try backend.device(named: interface)
    } catch {
      throw .message("reading WireGuard device \(interface) failed: \(WireGuardAccess.describe(error))")
    }
    try writeFileAtomically(SavedConfig.text(showconf: device.showconf, interfaceBlock: block), to: configPath)
  }

  /// Nameservers as wg-quick reads them back: `resolvconf -l NAME`, else Debian
  /// resolvconf's state file; where neither knows the interface (resolvectl was used),
  /// the servers from the config file.
  private func savedNameservers() -> [String] {
    let name = DNS.interfacePrefix() + interface
    var text = ""
    if ProcessRunner.which("resolvconf") != nil {
      let listed = runner.run(["resolvconf", "-l", name], capture: true, quiet: true)
      if listed.status == 0 { text = listed.output }
    }
    if text.isEmpty { text = readSmallFile("/etc/resolvconf/run/interface/\(name)") ?? "" }
    let servers = DNS.nameservers(in: text)
    if servers.isEmpty && ProcessRunner.which("resolvconf") == nil && DNS.resolvedRuns() {
      return settings.dnsServers
    }
    return servers
  }
}

/// The text `save` writes.
public enum SavedConfig {
  /// showconf's output with its first `[Interface]` line replaced by `interfaceBlock`,
  /// trailing newlines trimmed to one (as `echo "$(wg showconf IF)"` gives).
  public static func text(showconf: String, interfaceBlock: String) -> String {
    var body = Substring(showconf)
    while body.hasSuffix("\n") { body = body.dropLast() }
    var s = String(body)
    if let r = s.firstRange(of: "[Interface]\n") { s.replaceSubrange(r, with: interfaceBlock) }
    return s + "\n"
  }
}
