import Glibc
import SWGCore

/// Why a configuration value, a `wg set` word or a config line was rejected.
///
/// `message` is the exact line wg(8) (or wg-quick(8)) prints for the same input, without the
/// trailing newline, as bytes; `description` is the same as text.
public enum ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
  /// `Unable to parse empty port`
  case emptyPort
  /// getaddrinfo rejected a port: `<gai text>: `VALUE'`.
  case invalidPort(reason: String, value: InputText)
  /// A port or endpoint resolved to something that is not an IPv4/IPv6 socket address.
  case notInetAddress(value: InputText)
  /// `Fwmark is neither 0/off nor 0-0xffffffff: `VALUE'`
  case invalidFwmark(value: InputText)
  /// `Persistent keepalive interval is neither 0/off nor 1-65535: `VALUE'`
  case invalidPersistentKeepalive(value: InputText)
  /// `Key is not the correct length or format: `VALUE'`
  case invalidKey(value: InputText)
  /// A key file could not be opened: `fopen: <strerror>`.
  case keyFileOpen(Errno)
  /// `Invalid length key in key file` (also for unreadable or oversized key files).
  case keyFileLength
  /// `Found trailing character in key file: `C'`
  case keyFileTrailingCharacter(UInt8)
  /// Reading past the key failed: `getc: <strerror>`.
  case keyFileRead(Errno)
  /// `Unable to parse empty endpoint`
  case emptyEndpoint
  /// `Unable to find matching brace of endpoint: `VALUE'`
  case endpointMissingBrace(value: InputText)
  /// `Unable to find port of endpoint: `VALUE'`
  case endpointMissingPort(value: InputText)
  /// getaddrinfo failed for an endpoint for good: `<gai text>: `VALUE'`.
  case endpointResolution(reason: String, value: InputText)
  /// `Unable to parse WG_ENDPOINT_RESOLUTION_RETRIES: `VALUE'` (wg exits at once on this).
  case invalidResolutionRetries(value: InputText)
  /// `Unable to parse IP address: `VALUE'`
  case invalidIPAddress(value: InputText)
  /// `AllowedIP is not in the correct format: `ENTRY'`
  case invalidAllowedIP(value: InputText)
  /// A `wg set` word that is unknown, misplaced or missing its value: `Invalid argument: WORD`.
  case invalidArgument(InputText)
  /// A config line that is not a known key with a value in the current section:
  /// `Line unrecognized: `LINE'` (the line as wg sees it: comment cut, whitespace deleted).
  case lineUnrecognized(InputText)
  /// `A peer is missing a public key`
  case peerMissingPublicKey
  /// wg-quick's SaveConfig value check: `wg-quick: `VALUE' is neither true nor false`.
  case invalidBoolean(value: InputText)

  /// wg's message as bytes: input echoed back exactly, even when it is not UTF-8.
  public var message: [UInt8] {
    switch self {
    case .emptyPort: return text("Unable to parse empty port")
    case .invalidPort(let reason, let value): return text(reason) + quoted(value)
    case .notInetAddress(let value):
      return text("Neither IPv4 nor IPv6 address found") + quoted(value)
    case .invalidFwmark(let value):
      return text("Fwmark is neither 0/off nor 0-0xffffffff") + quoted(value)
    case .invalidPersistentKeepalive(let value):
      return text("Persistent keepalive interval is neither 0/off nor 1-65535") + quoted(value)
    case .invalidKey(let value):
      return text("Key is not the correct length or format") + quoted(value)
    case .keyFileOpen(let errno): return text("fopen: \(errno)")
    case .keyFileLength: return text("Invalid length key in key file")
    case .keyFileTrailingCharacter(let c):
      return text("Found trailing character in key file") + quoted(InputText(bytes: [c]))
    case .keyFileRead(let errno): return text("getc: \(errno)")
    case .emptyEndpoint: return text("Unable to parse empty endpoint")
    case .endpointMissingBrace(let value):
      return text("Unable to find matching brace of endpoint") + quoted(value)
    case .endpointMissingPort(let value):
      return text("Unable to find port of endpoint") + quoted(value)
    case .endpointResolution(let reason, let value): return text(reason) + quoted(value)
    case .invalidResolutionRetries(let value):
      return text("Unable to parse WG_ENDPOINT_RESOLUTION_RETRIES") + quoted(value)
    case .invalidIPAddress(let value): return text("Unable to parse IP address") + quoted(value)
    case .invalidAllowedIP(let value):
      return text("AllowedIP is not in the correct format") + quoted(value)
    case .invalidArgument(let word): return text("Invalid argument: ") + word.bytes
    case .lineUnrecognized(let line): return text("Line unrecognized") + quoted(line)
    case .peerMissingPublicKey: return text("A peer is missing a public key")
    case .invalidBoolean(let value):
      return text("wg-quick: `") + value.bytes + text("' is neither true nor false")
    }
  }

  /// wg's message (input that is not UTF-8 shows as U+FFFD; `message` has the bytes).
  public var description: String { String(decoding: message, as: UTF8.self) }
}

/// A message wg prints while parsing and then carries on (to stderr, in order).
public enum ConfigWarning: Equatable, Sendable, CustomStringConvertible {
  /// An allowed IP with bits set beyond its prefix (the kernel masks them). The texts are
  /// the address and prefix length exactly as written.
  case allowedIPHostBits(address: InputText, cidr: InputText)
  /// A transient endpoint resolution failure; wg sleeps `delayMicroseconds` and retries.
  case endpointRetry(reason: String, value: InputText, delayMicroseconds: UInt32)

  /// The warning as wg prints it, as bytes.
  public var message: [UInt8] {
    switch self {
    case .allowedIPHostBits(let address, let cidr):
      return text("Warning: AllowedIP has nonzero host part: ") + address.bytes + text("/")
        + cidr.bytes
    case .endpointRetry(let reason, let value, let delay):
      return text(reason) + quoted(value)
        + text(". Trying again in \(formatSeconds(delay)) seconds...")
    }
  }

  public var description: String { String(decoding: message, as: UTF8.self) }
}

/// A config file error with where it happened.
public struct ConfigFileError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The name the caller gave for the file (shown by `location`).
  public var fileName: String
  /// 1-based line number; for a peer missing its public key, the line of its `[Peer]`.
  public var line: Int
  public var error: ConfigError

  public init(fileName: String, line: Int, error: ConfigError) {
    self.fileName = fileName
    self.line = line
    self.error = error
  }

  /// wg's text for the error (no file or line: wg prints none).
  public var description: String { error.description }

  /// `FILE:LINE`, for messages of our own.
  public var location: String { "\(fileName):\(line)" }

  /// Exactly what `wg setconf` writes to stderr for this error, newline-terminated:
  /// the message, then `Configuration parsing error` (or `Invalid configuration` for a
  /// peer without a public key; nothing more for a bad WG_ENDPOINT_RESOLUTION_RETRIES,
  /// on which wg exits at once).
  public var wgReport: String { String(decoding: wgReportBytes, as: UTF8.self) }

  /// `wgReport` as bytes, with input echoed back exactly.
  public var wgReportBytes: [UInt8] {
    switch error {
    case .peerMissingPublicKey: return error.message + text("\nInvalid configuration\n")
    case .invalidResolutionRetries: return error.message + text("\n")
    default: return error.message + text("\nConfiguration parsing error\n")
    }
  }
}

/// Input echoed in a message: the bytes as given (up to a NUL, as C prints them).
public struct InputText: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
  public var bytes: [UInt8]

  public init(bytes: [UInt8]) { self.bytes = bytes }
  public init(_ string: String) { bytes = Array(string.utf8) }
  public init(stringLiteral value: String) { self.init(value) }

  /// The text; bytes that are not UTF-8 show as U+FFFD.
  public var description: String { String(decoding: bytes, as: UTF8.self) }
}

private func text(_ s: String) -> [UInt8] { Array(s.utf8) }

/// ": `VALUE'", wg's way of quoting input.
private func quoted(_ value: InputText) -> [UInt8] { text(": `") + value.bytes + text("'") }

/// `%.2f` of a number of microseconds, rounded as printf rounds the double.
func formatSeconds(_ microseconds: UInt32) -> String {
  let seconds = Double(microseconds) / 1_000_000
  var buf = [CChar](repeating: 0, count: 64)
  _ = withVaList([seconds]) { vsnprintf(&buf, buf.count, "%.2f", $0) }
  return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
