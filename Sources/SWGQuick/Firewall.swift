/// wg-quick's firewall rules for a full tunnel: drop packets addressed to the tunnel's
/// own addresses that arrive on other interfaces, and carry the fwmark through conntrack
/// so replies to the tunnel's UDP packets pass rp_filter (src_valid_mark).
public enum Firewall {
  /// `ip` or `ip6`.
  public static func nftFamily(v6: Bool) -> String { v6 ? "ip6" : "ip" }

  /// The nft table for an interface: `wg-quick-IF`, wg-quick's own name, so either tool
  /// can take down what the other put up.
  public static func tableName(_ interface: String) -> String { "wg-quick-\(interface)" }

  /// The `nft -f` script for one family; `addresses` are the interface's addresses of
  /// that family as `ip -o addr` prints them (no prefix length).
  public static func nftScript(interface: String, v6: Bool, addresses: [String], mark: UInt32) -> String {
    let pf = nftFamily(v6: v6)
    let t = tableName(interface)
    var s = "add table \(pf) \(t)\n"
    s += "add chain \(pf) \(t) preraw { type filter hook prerouting priority -300; }\n"
    s += "add chain \(pf) \(t) premangle { type filter hook prerouting priority -150; }\n"
    s += "add chain \(pf) \(t) postmangle { type filter hook postrouting priority -150; }\n"
    for a in addresses {
      s += "add rule \(pf) \(t) preraw iifname != \"\(interface)\" \(pf) daddr \(a) fib saddr type != local drop\n"
    }
    s += "add rule \(pf) \(t) postmangle meta l4proto udp mark \(mark) ct mark set mark \n"
    s += "add rule \(pf) \(t) premangle meta l4proto udp meta mark set ct mark \n"
    return s
  }

  /// The comment that marks wg-quick's iptables rules for an interface.
  public static func iptablesMarker(_ interface: String) -> String {
    "-m comment --comment \"wg-quick(8) rule for \(interface)\""
  }

  /// The `iptables-restore -n` input for one family (used where nft is missing).
  public static func iptablesRestore(interface: String, addresses: [String], mark: UInt32) -> String {
    let marker = iptablesMarker(interface)
    var s = "*raw\n"
    for a in addresses {
      s += "-I PREROUTING ! -i \(interface) -d \(a) -m addrtype ! --src-type LOCAL -j DROP \(marker)\n"
    }
    s += "COMMIT\n*mangle\n"
    s += "-I POSTROUTING -m mark --mark \(mark) -p udp -j CONNMARK --save-mark \(marker)\n"
    s += "-I PREROUTING -p udp -j CONNMARK --restore-mark \(marker)\n"
    s += "COMMIT\n"
    return s
  }

  /// The nft script deleting every `wg-quick-IF` table that `nft list tables` shows;
  /// empty when there is none.
  public static func nftRemoval(interface: String, listTablesOutput: String) -> String {
    var s = ""
    for line in listTablesOutput.split(separator: "\n") where line.hasSuffix(" " + tableName(interface)) {
      s += "delete \(line)\n"
    }
    return s
  }

  /// From `iptables-save` output, the restore input deleting the interface's marked
  /// rules: table headers, COMMITs and the marked `-A` lines turned into `-D`. nil when
  /// there is no marked rule.
  public static func iptablesRemoval(interface: String, saveOutput: String) -> String? {
    let marker = iptablesMarker(interface)
    var s = ""
    var found = false
    for line in saveOutput.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("*") || line == "COMMIT" {
        s += line + "\n"
      } else if line.hasPrefix("-A "), line.contains(marker) {
        found = true
        s += "-D" + line.dropFirst(2) + "\n"
      }
    }
    return found ? s : nil
  }

  /// False only when no raw or mangle table of the family can exist: `nft list tables`
  /// (given) shows none, and the legacy iptables module lists none in /proc/net.
  public static func mayHaveIptablesRules(
    v6: Bool, nftTables: String?,
    legacyNames: String? = readSmallFile("/proc/net/ip_tables_names"),
    legacyNames6: String? = readSmallFile("/proc/net/ip6_tables_names")
  ) -> Bool {
    guard let nftTables else { return true }
    let family = v6 ? "ip6" : "ip"
    for line in nftTables.split(separator: "\n") {
      if line == "table \(family) raw" || line == "table \(family) mangle" { return true }
    }
    let legacy = (v6 ? legacyNames6 : legacyNames) ?? ""
    return legacy.split(separator: "\n").contains { $0 == "raw" || $0 == "mangle" }
  }
}
