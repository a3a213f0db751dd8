import Glibc
import Netlink
import SWGConfig
import SWGCore
import SWGUAPI

extension QuickSession {
  /// `up`: wg-quick's `cmd_up`, step by step; when any step fails (or SIGINT/SIGTERM
  /// arrives) the error is printed and every step done so far is undone, newest first.
  public func up() throws(QuickError) {
    if try link(named: interface) != nil { throw .message("`\(interface)' already exists") }
    Interruption.install()
    defer { Interruption.restore() }
    do {
      try upSteps()
    } catch {
      if let signal = Interruption.signalName {
        trace.line("\(program): interrupted by \(signal); undoing what was done")
      } else if case .message(let text) = error {
        trace.line("\(program): \(text)")
      }
      rollBack()
      throw .commandFailed(status: Interruption.exitStatus ?? error.exitStatus)
    }
    trace.flush()
  }

  private func checkInterrupted() throws(QuickError) {
    if Interruption.requested { throw .commandFailed(status: 130) }
  }

  private func upSteps() throws(QuickError) {
    try addInterface()
    try checkInterrupted()
    try runHooks(settings.preUp)
    try checkInterrupted()
    try applyWireGuardConfig()
    let index = try interfaceIndex()
    for text in settings.addresses {
      try checkInterrupted()
      try addAddress(text, index: index)
    }
    try checkInterrupted()
    try setMTUAndUp(index: index)
    try checkInterrupted()
    try setDNS()
    try checkInterrupted()
    try addRoutes(index: index)
    try checkInterrupted()
    try runHooks(settings.postUp)
    try checkInterrupted()
  }

  // MARK: link

  private func addInterface() throws(QuickError) {
    trace.command("ip link add dev \(interface) type wireguard")
    let failure: RouteNetlinkError?
    do {
      failure = try net.perform([.addLink(name: interface, kind: "wireguard")]).first ?? nil
    } catch {
      failure = error
    }
    guard let failure else {
      journal.append(.link)
      backend = kernelBackend()
      return
    }
    let implementation = getenv("WG_QUICK_USERSPACE_IMPLEMENTATION").map { String(cString: $0) } ?? "wireguard-go"
    let operation = "creating interface \(interface) (ip link add dev \(interface) type wireguard)"
    if access("/sys/module/wireguard", F_OK) == 0 || failure.code == EEXIST {
      throw .message(NetworkErrors.describe(operation, failure))
    }
    guard ProcessRunner.which(implementation) != nil else {
      throw .message(
        NetworkErrors.describe(operation, failure)
          + ", and the userspace fallback `\(implementation)' is not installed")
    }
    trace.line("[!] Missing WireGuard kernel module. Falling back to slow userspace implementation.")
    journal.append(.link)
    try runCommand([implementation, interface], shown: "\(implementation) \(interface)")
    backend = UAPIBackend()
  }

  // MARK: WireGuard configuration

  private func applyWireGuardConfig() throws(QuickError) {
    trace.command("wg addconf \(interface) /dev/fd/63")
    var file: ConfigFile
    do {
      file = try ConfigFile.parse(settings.wireGuardConfig, fileName: "/dev/fd/63")
    } catch {
      throw .message("the WireGuard part of \(configPath) is invalid: \(error)")
    }
    guard let backend else { throw .message("no backend for \(interface)") }
    var change = file.asAddconfChange()
    // The parsed keys, once sent. The change may share the file's peer list: the file's
    // copy is wiped first (a copy-on-write copy, wiped), then the change's own.
    defer {
      file.wipeKeys()
      change.wipeKeys()
    }
    do {
      try backend.apply(change, to: interface)
    } catch {
      throw .message("configuring WireGuard on \(interface) (wg addconf) failed: \(WireGuardAccess.describe(error))")
    }
  }

  // MARK: addresses and MTU

  private func addAddress(_ text: String, index: Int32) throws(QuickError) {
    let v6 = text.contains(":")
    trace.command("ip \(v6 ? "-6" : "-4") address add \(text) dev \(interface)")
    guard let a = InterfaceAddress(text), (a.address.family == AF_INET6) == v6 else {
      throw .message("`\(text)' is not a valid address (Address = IP or IP/prefix length)")
    }
    try perform(
      .addAddress(
        index: UInt32(bitPattern: index), family: UInt8(truncatingIfNeeded: a.address.family),
        address: a.address.bytes, prefixLength: a.prefixLength),
      "adding address \(text) to \(interface)", v6: v6)
  }

  private func setMTUAndUp(index: Int32) throws(QuickError) {
    let mtu: UInt32
    let shown: String
    if let text = settings.mtu {
      guard let value = parseCUnsigned(text), value > 0 else {
        trace.command("ip link set mtu \(text) up dev \(interface)")
        throw .message("`\(text)' is not a valid MTU")
      }
      mtu = value
      shown = text
    } else {
      mtu = automaticMTU()
      shown = String(mtu)
    }
    trace.command("ip link set mtu \(shown) up dev \(interface)")
    try perform(.setLink(index: index, mtu: mtu, up: true), "setting MTU \(shown) and bringing up \(interface)")
  }

  /// wg-quick's `set_mtu_up` without an MTU: the smallest MTU on the way to any peer's
  /// endpoint (the route's own MTU, else its device's), else that of the first IPv4
  /// default route, else 1500; minus 80 for WireGuard's overhead.
  func automaticMTU() -> UInt32 {
    let unknown = 2_147_483_647
    var mtu = unknown
    let endpoints = ((try? backend?.device(named: interface))?.peers ?? []).compactMap(\.endpoint)
    for endpoint in endpoints {
      if case .v6(_, _, _, let scope) = endpoint, scope != 0 { continue }
      let address = endpoint.address
      guard
        let replies = try? net.query(
          .getRoute(family: UInt8(truncatingIfNeeded: address.family), destination: address.bytes)),
        let route = replies.lazy.compactMap(RouteEntry.init).first,
        let candidate = routeMTU(route), candidate < mtu
      else { continue }
      mtu = candidate
    }
    if mtu == unknown, let replies = try? net.query(.dumpRoutes(family: RouteFamily.inet)),
      let route = replies.lazy.compactMap(RouteEntry.init).first(where: {
        $0.table == RouteTableID.main && $0.destinationLength == 0
      }),
      let candidate = routeMTU(route), candidate < mtu
    {
      mtu = candidate
    }
    if !(mtu > 0 && mtu < unknown) { mtu = 1500 }
    return UInt32(clamping: max(mtu - 80, 0))
  }

  private func routeMTU(_ route: RouteEntry) -> Int? {
    if let m = route.mtu { return Int(m) }
    guard let oif = route.outputInterface,
      let link = try? net.query(.getLink(index: Int32(bitPattern: oif))).lazy.compactMap(LinkEntry.init).first,
      let m = link.mtu
    else { return nil }
    return Int(m)
  }

  // MARK: routes

  private struct PendingRoute {
    var shown: String
    var request: RouteRequest
    var operation: String
    var v6: Bool
  }

  private func addRoutes(index: Int32) throws(QuickError) {
    let mode = try settings.tableMode()
    if mode == .off { return }
    guard let backend else { return }
    let device: Device
    do {
      device = try backend.device(named: interface)
    } catch {
      throw .message("reading WireGuard device \(interface) failed: \(WireGuardAccess.describe(error))")
    }
    let prefixes = RoutePlan.ordered(device.peers.flatMap(\.allowedIPs))
    let oif = UInt32(bitPattern: index)
    var batch: [PendingRoute] = []
    var fwmark = device.fwmark

    func pending(_ p: AllowedIP, table: UInt32, shownTable: String?) -> PendingRoute {
      let flag = RoutePlan.familyFlag(p.address)
      let suffix = shownTable.map { " table \($0)" } ?? ""
      return PendingRoute(
        shown: "ip \(flag) route add \(p) dev \(interface)\(suffix)",
        request: .addRoute(
          family: UInt8(truncatingIfNeeded: p.address.family), destination: p.address.bytes,
          prefixLength: p.cidr, outputInterface: oif, table: table),
        operation: "adding route \(p) dev \(interface)\(suffix)", v6: flag == "-6")
    }

    switch mode {
    case .off:
      return
    case .id(let table):
      batch = prefixes.map { pending($0, table: table, shownTable: settings.table) }
      try flush(&batch)
    case .auto:
      var onLink: [AllowedIP] = []
      for family in [RouteFamily.inet, RouteFamily.inet6] {
        guard prefixes.contains(where: { UInt8(truncatingIfNeeded: $0.address.family) == family }) else { continue }
        onLink += routesOnLink(family: family, index: oif)
      }
      for p in prefixes {
        if p.cidr == 0 {
          try flush(&batch)
          try addDefault(p, index: oif, fwmark: &fwmark)
        } else if !onLink.contains(where: { RoutePlan.covers($0, p) }) {
          batch.append(pending(p, table: RouteTableID.main, shownTable: nil))
        }
      }
      try flush(&batch)
    }
  }

  /// Routes in the main table through the interface (what `ip route show dev IF` lists).
  private func routesOnLink(family: UInt8, index: UInt32) -> [AllowedIP] {
    guard let replies = try? net.query(.dumpRoutes(family: family)) else { return [] }
    return replies.compactMap(RouteEntry.init).compactMap { r -> AllowedIP? in
      guard r.table == RouteTableID.main, r.outputInterface == index else { return nil }
      let bytes = r.destination.isEmpty ? [UInt8](repeating: 0, count: family == RouteFamily.inet ? 4 : 16) : r.destination
      let address: IPAddress?
      if family == RouteFamily.inet { address = IPv4Address(bytes: bytes).map { .v4($0) } } else {
        address = IPv6Address(bytes: bytes).map { .v6($0) }
      }
      guard let address else { return nil }
      return AllowedIP(address: address, cidr: r.destinationLength)
    }
  }

  /// Sends the routes collected so far in batches; the trace shows them up to the first
  /// failure, which becomes the error.
  private func flush(_ batch: inout [PendingRoute]) throws(QuickError) {
    guard !batch.isEmpty else { return }
    defer { batch.removeAll() }
    let results: [RouteNetlinkError?]
    do {
      results = try net.perform(batch.map(\.request))
    } catch {
      throw .message("sending routes failed: \(error)")
    }
    for (item, result) in zip(batch, results) {
      trace.command(item.shown)
      if let result { throw .message(NetworkErrors.describe(item.operation, result, v6: item.v6)) }
    }
  }

  /// wg-quick's `add_default`: the fwmark (the device's, or the first free table from
  /// 51820 up, which is then set on the device), the two rules, the default route in that
  /// table after them, src_valid_mark, and the firewall rules.
  private func addDefault(_ p: AllowedIP, index: UInt32, fwmark: inout UInt32) throws(QuickError) {
    let v6 = p.address.family == AF_INET6
    let family = v6 ? RouteFamily.inet6 : RouteFamily.inet
    let flag = v6 ? "-6" : "-4"
    if fwmark == 0 {
      let table = firstFreeTable()
      trace.command("wg set \(interface) fwmark \(table)")
      do {
        try backend?.apply(DeviceChange(fwmark: table), to: interface)
      } catch {
        throw .message("setting fwmark \(table) on \(interface) failed: \(WireGuardAccess.describe(error))")
      }
      fwmark = table
    }
    let table = fwmark
    trace.command("ip \(flag) rule add not fwmark \(table) table \(table)")
    try perform(
      .addRule(family: family, table: table, fwmark: table, invert: true),
      "adding rule `not fwmark \(table) table \(table)'", v6: v6)
    journal.append(.rule(family: family, table: table, fwmark: table, invert: true, suppress: nil))
    trace.command("ip \(flag) rule add table main suppress_prefixlength 0")
    try perform(
      .addRule(family: family, table: RouteTableID.main, suppressPrefixLength: 0),
      "adding rule `table main suppress_prefixlength 0'", v6: v6)
    journal.append(.rule(family: family, table: RouteTableID.main, fwmark: nil, invert: false, suppress: 0))
    trace.command("ip \(flag) route add \(p) dev \(interface) table \(table)")
    try perform(
      .addRoute(
        family: family, destination: p.address.bytes, prefixLength: 0, outputInterface: index, table: table),
      "adding route \(p) dev \(interface) table \(table)", v6: v6)

    if !v6 { try setSrcValidMark() }
    try addFirewall(v6: v6, index: index, mark: table)
  }

  /// The first table from 51820 up with no IPv4 or IPv6 route in it.
  private func firstFreeTable() -> UInt32 {
    var used = Set<UInt32>()
    for family in [RouteFamily.inet, RouteFamily.inet6] {
      for r in (try? net.query(.dumpRoutes(family: family))) ?? [] {
        if let e = RouteEntry(r) { used.insert(e.table) }
      }
    }
    var table: UInt32 = 51820
    while used.contains(table) { table += 1 }
    return table
  }

  private func setSrcValidMark() throws(QuickError) {
    let path = "/proc/sys/net/ipv4/conf/all/src_valid_mark"
    let name = "net.ipv4.conf.all.src_valid_mark"
    let old = (readSmallFile(path) ?? "").trimmingWhitespace.split(separator: "\n").first.map(String.init) ?? ""
    guard old != "1" else { return }
    trace.command("sysctl -q \(name)=1")
    guard writeSmallFile(path, "1") else {
      throw .message("setting \(name)=1 failed: \(Errno.current) (is /proc/sys read-only, as in some containers?)")
    }
    journal.append(.sysctl(path: path, name: name, old: old.isEmpty ? "0" : old))
  }

  private func addFirewall(v6: Bool, index: UInt32, mark: UInt32) throws(QuickError) {
    let family = v6 ? RouteFamily.inet6 : RouteFamily.inet
    let addresses = ((try? net.query(.dumpAddresses(family: family))) ?? [])
      .compactMap(AddressEntry.init)
      .filter { $0.index == index && $0.family == family }
      .compactMap { e -> String? in
        if v6 { return IPv6Address(bytes: e.address).map { IPAddress.v6($0).description } }
        return IPv4Address(bytes: e.address).map { IPAddress.v4($0).description }
      }
    journal.append(.firewall)
    if ProcessRunner.which("nft") != nil {
      try runCommand(
        ["nft", "-f", "/dev/stdin"], shown: "nft -f /dev/fd/63",
        input: Firewall.nftScript(interface: interface, v6: v6, addresses: addresses, mark: mark))
    } else {
      let restore = v6 ? "ip6tables-restore" : "iptables-restore"
      guard ProcessRunner.which(restore) != nil else {
        throw .message(
          "neither `nft' nor `\(restore)' is installed (a full tunnel needs one for its firewall rules)")
      }
      try runCommand(
        [restore, "-n"], shown: "\(restore) -n",
        input: Firewall.iptablesRestore(interface: interface, addresses: addresses, mark: mark))
    }
  }

  /// wg-quick's `remove_firewall`: every `wg-quick-IF` nft table, and every iptables rule
  /// carrying the interface's comment. Failures are ignored, as wg-quick ignores them.
  func removeFirewall() {
    var nftTables: String?
    if ProcessRunner.which("nft") != nil {
      let list = runner.run(["nft", "list", "tables"], capture: true, quiet: true)
      if list.status == 0 { nftTables = list.output }
      let script = Firewall.nftRemoval(interface: interface, listTablesOutput: list.output)
      if !script.isEmpty {
        trace.command("nft -f /dev/fd/63")
        trace.flush()
        _ = runner.run(["nft", "-f", "/dev/stdin"], input: script)
      }
    }
    if ProcessRunner.which("iptables") != nil {
      for tool in ["iptables", "ip6tables"] {
        // Rules with our comment can only be in a raw or mangle table. Where neither
        // exists (not in nft, which iptables-nft uses, nor in the legacy kernel tables)
        // iptables-save has nothing to show, and its start-up is skipped.
        guard Firewall.mayHaveIptablesRules(v6: tool == "ip6tables", nftTables: nftTables) else { continue }
        let saved = runner.run(["\(tool)-save"], capture: true, quiet: true)
        guard let input = Firewall.iptablesRemoval(interface: interface, saveOutput: saved.output) else { continue }
        trace.command("\(tool)-restore -n")
        trace.flush()
        _ = runner.run(["\(tool)-restore", "-n"], input: input)
      }
    }
  }
}
