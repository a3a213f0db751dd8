import Glibc

/// The ANSI escapes wg's pretty output uses (`terminal.h`); every one is empty when
/// colour is off, which gives the same text wg gets by stripping them.
public struct Palette: Sendable {
  public var reset: StaticString
  public var bold: StaticString
  public var green: StaticString
  public var yellow: StaticString
  public var cyan: StaticString
  public var red: StaticString

  public static let color = Palette(
    reset: "\u{1b}[0m", bold: "\u{1b}[1m", green: "\u{1b}[32m", yellow: "\u{1b}[33m",
    cyan: "\u{1b}[36m", red: "\u{1b}[31m")
  public static let plain = Palette(reset: "", bold: "", green: "", yellow: "", cyan: "", red: "")

  /// wg's rule: `WG_COLOR_MODE=always` on, `never` off, anything else: is stdout a tty.
  public static func decide(mode: String?, stdoutIsTTY: Bool) -> Palette {
    switch mode {
    case "always": return .color
    case "never": return .plain
    default: return stdoutIsTTY ? .color : .plain
    }
  }
}

/// What the process environment says, read once; tests build their own.
public struct Environment: Sendable {
  public var colorMode: String?
  public var hideKeys: String?
  public var stdoutIsTTY: Bool
  /// Current Unix time in seconds (wg's `time(NULL)`).
  public var now: Int64

  public init(colorMode: String? = nil, hideKeys: String? = nil, stdoutIsTTY: Bool = false, now: Int64 = 0) {
    self.colorMode = colorMode
    self.hideKeys = hideKeys
    self.stdoutIsTTY = stdoutIsTTY
    self.now = now
  }

  public static func current() -> Environment {
    Environment(
      colorMode: getenv("WG_COLOR_MODE").map { String(cString: $0) },
      hideKeys: getenv("WG_HIDE_KEYS").map { String(cString: $0) },
      stdoutIsTTY: isatty(STDOUT_FILENO) == 1,
      now: Int64(time(nil)))
  }

  public var palette: Palette { Palette.decide(mode: colorMode, stdoutIsTTY: stdoutIsTTY) }
  /// wg shows private and preshared keys in pretty output only with WG_HIDE_KEYS=never.
  public var showsKeys: Bool { hideKeys == "never" }
}
