import Glibc
import SWGCore

/// Why a configuration value, a `wg set` word or a config line was rejected.
///
/// `description` is the exact line wg(8) (or wg-quick(8)) prints for the same input, without
/// the trailing newline. Quoted input that is not valid UTF-8 is shown with U+FFFD.
public enum ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
  /// `Unable to parse empty port`
  case emptyPort
  /// getaddrinfo rejected a port: `<gai text>: `VALUE'`.
  case invalidPort(reason: String, value: String)
  /// A port or endpoint resolved to something that is not an IPv4/IPv6 socket address.
  case notInetAddress(value: String)
  /// `Fwmark is neither 0/off nor 0-0xffffffff: `VALUE'`
  case invalidFwmark(value: String)
  /// `Persistent keepalive interval is neither 0/off nor 1-65535: `VALUE'`
  case invalidPersistentKeepalive(value: String)
  /// `Key is not the correct length or format: `VALUE'`
  case invalidKey(value: String)
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
  case endpointMissingBrace(value: String)
  /// `Unable to find port of endpoint: `VALUE'`
  case endpointMissingPort(value: String)
  /// getaddrinfo failed for an endpoint for good: `<gai text>: `VALUE'`.
  case endpointResolution(reason: String, value: String)
  /// `Unable to parse WG_ENDPOINT_RESOLUTION_RETRIES: `VALUE'` (wg exits at once on this).
  case invalidResolutionRetries(value: String)
  /// `Unable to parse IP address: `VALUE'`
  case invalidIPAddress(value: String)
  /// `AllowedIP is not in the correct format: `ENTRY'`
  case invalidAllowedIP(value: String)
  /// A `wg set` word that is unknown, misplaced or missing its value: `Invalid argument: WORD`.
  case invalidArgument(String)
  /// A config line that is not a known key with a value in the current section:
  /// `Line unrecognized: `LINE'` (the line as wg sees it: comment cut, whitespace deleted).
  case lineUnrecognized(String)
  /// `A peer is missing a public key`
  case peerMissingPublicKey
  /// wg-quick's SaveConfig value check: `wg-quick: `VALUE' is neither true nor false`.
  case invalidBoolean(value: String)

  public var description: String {
    switch self {
    case .emptyPort: return "Unable to parse empty port"
    case .invalidPort(let reason, let value): return "\(reason): `\(value)'"
    case .notInetAddress(let value): return "Neither IPv4 nor IPv6 address found: `\(value)'"
    case .invalidFwmark(let value): return "Fwmark is neither 0/off nor 0-0xffffffff: `\(value)'"
    case .invalidPersistentKeepalive(let value):
      return "Persistent keepalive interval is neither 0/off nor 1-65535: `\(value)'"
    case .invalidKey(let value): return "Key is not the correct length or format: `\(value)'"
    case .keyFileOpen(let errno): return "fopen: \(errno)"
    case .keyFileLength: return "Invalid length key in key file"
    case .keyFileTrailingCharacter(let c):
      return "Found trailing character in key file: `\(String(decoding: [c], as: UTF8.self))'"
    case .keyFileRead(let errno): return "getc: \(errno)"
    case .emptyEndpoint: return "Unable to parse empty endpoint"
    case .endpointMissingBrace(let value):
      return "Unable to find matching brace of endpoint: `\(value)'"
    case .endpointMissingPort(let value): return "Unable to find port of endpoint: `\(value)'"
    case .endpointResolution(let reason, let value): return "\(reason): `\(value)'"
    case .invalidResolutionRetries(let value):
      return "Unable to parse WG_ENDPOINT_RESOLUTION_RETRIES: `\(value)'"
    case .invalidIPAddress(let value): return "Unable to parse IP address: `\(value)'"
    case .invalidAllowedIP(let value): return "AllowedIP is not in the correct format: `\(value)'"
    case .invalidArgument(let word): return "Invalid argument: \(word)"
    case .lineUnrecognized(let line): return "Line unrecognized: `\(line)'"
    case .peerMissingPublicKey: return "A peer is missing a public key"
    case .invalidBoolean(let value): return "wg-quick: `\(value)' is neither true nor false"
    }
  }
}

/// A message wg prints while parsing and then carries on (to stderr, in order).
public enum ConfigWarning: Equatable, Sendable, CustomStringConvertible {
  /// An allowed IP with bits set beyond its prefix (the kernel masks them). The texts are
  /// the address and prefix length exactly as written.
  case allowedIPHostBits(address: String, cidr: String)
  /// A transient endpoint resolution failure; wg sleeps `delayMicroseconds` and retries.
  case endpointRetry(reason: String, value: String, delayMicroseconds: UInt32)

  public var description: String {
    switch self {
    case .allowedIPHostBits(let address, let cidr):
      return "Warning: AllowedIP has nonzero host part: \(address)/\(cidr)"
    case .endpointRetry(let reason, let value, let delay):
      return "\(reason): `\(value)'. Trying again in \(formatSeconds(delay)) seconds..."
    }
  }
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
  public var wgReport: String {
    switch error {
    case .peerMissingPublicKey: return "\(error)\nInvalid configuration\n"
    case .invalidResolutionRetries: return "\(error)\n"
    default: return "\(error)\nConfiguration parsing error\n"
    }
  }
}

/// `%.2f` of a number of microseconds, rounded as printf rounds the double.
func formatSeconds(_ microseconds: UInt32) -> String {
  let seconds = Double(microseconds) / 1_000_000
  var buf = [CChar](repeating: 0, count: 64)
  _ = withVaList([seconds]) { vsnprintf(&buf, buf.count, "%.2f", $0) }
  return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
