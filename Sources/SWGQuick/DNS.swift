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
    access("/run/systemd/resolve/io.systemd.Resolve", F_OK) == 0
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
