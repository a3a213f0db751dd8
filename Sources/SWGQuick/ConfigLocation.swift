import Glibc

/// Where a wg-quick config lives and which interface it names (wg-quick's `parse_options`
/// prologue): a bare interface name means `/etc/wireguard/NAME.conf`; otherwise the file's
/// name must be an interface name followed by `.conf`.
public struct ConfigLocation: Sendable, Equatable {
  /// The resolved path (symlinks followed), as wg-quick's `readlink -f` gives it.
  public var path: String
  public var interface: String

  /// The directory that bare names are looked up in.
  public static let defaultDirectory = "/etc/wireguard"

  /// True for 1 to 15 characters of `[a-zA-Z0-9_=+.-]`.
  public static func isValidInterfaceName<S: StringProtocol>(_ name: S) -> Bool {
    let bytes = name.utf8
    guard (1...15).contains(bytes.count) else { return false }
    return bytes.allSatisfy { c in
      (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
        || c == 0x5f || c == 0x3d || c == 0x2b || c == 0x2e || c == 0x2d
    }
  }

  /// The path an argument stands for, before it is checked: a bare name becomes
  /// `/etc/wireguard/NAME.conf`.
  public static func candidatePath(for argument: String, directory: String = defaultDirectory) -> String {
    isValidInterfaceName(argument) ? "\(directory)/\(argument).conf" : argument
  }

  /// The interface name a config path gives, or nil when its file name is not
  /// `NAME.conf` with a valid NAME.
  public static func interfaceName(forPath path: String) -> String? {
    let base = path.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
    guard base.hasSuffix(".conf") else { return nil }
    let stem = base.dropLast(5)
    return isValidInterfaceName(stem) ? String(stem) : nil
  }

  /// Resolves an argument as wg-quick does, with its error texts.
  public init(argument: String, directory: String = defaultDirectory) throws(QuickError) {
    let candidate = Self.candidatePath(for: argument, directory: directory)
    guard access(candidate, F_OK) == 0 else { throw .message("`\(candidate)' does not exist") }
    guard let name = Self.interfaceName(forPath: candidate) else {
      throw .message("The config file must be a valid interface name, followed by .conf")
    }
    interface = name
    if let resolved = realpath(candidate, nil) {
      path = String(cString: resolved)
      free(resolved)
    } else {
      path = candidate
    }
  }

  /// wg-quick's warning when the file and its directory share an "other" permission bit.
  public var worldAccessibleWarning: String? {
    var file = stat()
    var dir = stat()
    let parent = Self.directory(of: path)
    guard stat(path, &file) == 0, stat(parent, &dir) == 0 else { return nil }
    guard file.st_mode & dir.st_mode & 0o007 != 0 else { return nil }
    return "Warning: `\(path)' is world accessible"
  }

  /// `${PATH%/*}`: everything before the last slash (the path itself when it has none).
  static func directory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return path }
    return String(path[..<slash])
  }
}
