import Glibc
import SWGCore

extension ConfigValue {
  /// A peer endpoint, `HOST:PORT` or `[IPV6]:PORT`, resolved now with getaddrinfo as wg does
  /// (hostnames and service names allowed; the first result wins).
  ///
  /// Transient resolver failures are retried as wg retries them: `retries` times (from
  /// WG_ENDPOINT_RESOLUTION_RETRIES when nil; `-1` means forever), sleeping 1 s, then 1.2×
  /// longer each time up to 20 s; each retry is reported to `warn` before the sleep.
  public static func endpoint(
    _ text: String, retries: Int? = nil, warn: (ConfigWarning) -> Void = { _ in }
  ) throws(ConfigError) -> Endpoint {
    try endpoint(Array(text.utf8), retries: retries, warn: warn)
  }

  public static func endpoint(
    _ text: [UInt8], retries: Int? = nil, warn: (ConfigWarning) -> Void = { _ in }
  ) throws(ConfigError) -> Endpoint {
    let value = truncatedAtNUL(text)
    var remaining: Int
    if let retries {
      remaining = retries
    } else {
      remaining = try resolutionRetries(
        fromEnvironment: environment("WG_ENDPOINT_RESOLUTION_RETRIES"))
    }
    if value.isEmpty { throw .emptyEndpoint }
    let host: ArraySlice<UInt8>
    let service: ArraySlice<UInt8>
    if value[0] == UInt8(ascii: "[") {
      guard let close = value.firstIndex(of: UInt8(ascii: "]")) else {
        throw .endpointMissingBrace(value: echo(value))
      }
      host = value[1..<close]
      let colon = close + 1
      guard colon < value.count, value[colon] == UInt8(ascii: ":"), colon + 1 < value.count else {
        throw .endpointMissingPort(value: echo(value))
      }
      service = value[(colon + 1)...]
    } else {
      guard let colon = value.lastIndex(of: UInt8(ascii: ":")), colon + 1 < value.count else {
        throw .endpointMissingPort(value: echo(value))
      }
      host = value[..<colon]
      service = value[(colon + 1)...]
    }
    let hostC = cString(Array(host))
    let serviceC = cString(Array(service))
    var hints = addrinfo()
    hints.ai_family = AF_UNSPEC
    hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
    hints.ai_protocol = Int32(IPPROTO_UDP)
    var timeout: UInt32 = 1_000_000
    while true {
      var result: UnsafeMutablePointer<addrinfo>?
      let rc = hostC.withUnsafeBufferPointer { h in
        serviceC.withUnsafeBufferPointer { s in
          getaddrinfo(h.baseAddress, s.baseAddress, &hints, &result)
        }
      }
      if rc == 0, let first = result {
        defer { freeaddrinfo(first) }
        guard let endpoint = inetEndpoint(first.pointee) else {
          throw .notInetAddress(value: echo(value))
        }
        return endpoint
      }
      let reason = gaiReason(rc)
      // EAI_NONAME, EAI_FAIL and EAI_NODATA are permanent; the rest may pass.
      var permanent = rc == EAI_NONAME || rc == EAI_FAIL || rc == eaiNoData
      if !permanent && remaining >= 0 {
        if remaining == 0 { permanent = true } else { remaining -= 1 }
      }
      if permanent { throw .endpointResolution(reason: reason, value: echo(value)) }
      warn(.endpointRetry(reason: reason, value: echo(value), delayMicroseconds: timeout))
      usleep(timeout)
      timeout = min(20_000_000, UInt32(UInt64(timeout) * 6 / 5))
    }
  }

  /// Reads WG_ENDPOINT_RESOLUTION_RETRIES as wg does: unset is 15, `infinity` is -1 (forever),
  /// otherwise a decimal number up to INT_MAX.
  public static func resolutionRetries(fromEnvironment value: String?) throws(ConfigError) -> Int {
    guard let value else { return 15 }
    if value == "infinity" { return -1 }
    // As strtoul reads it: optional leading whitespace and sign, then digits; the empty
    // string is 0; a negative number wraps to a huge one (so only -0 passes).
    if value.isEmpty { return 0 }
    var digits = Array(value.utf8)[...]
    while let c = digits.first, isSpace(c) { digits = digits.dropFirst() }
    var negative = false
    if let c = digits.first, c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
      negative = c == UInt8(ascii: "-")
      digits = digits.dropFirst()
    }
    guard let n = parseUnsigned(digits, radix: 10), !negative || n == 0, n <= UInt64(Int32.max)
    else { throw .invalidResolutionRetries(value: InputText(value)) }
    return Int(n)
  }
}

private let eaiNoData: Int32 = -5  // glibc's EAI_NODATA (only declared with _GNU_SOURCE)

private func environment(_ name: String) -> String? {
  guard let value = getenv(name) else { return nil }
  return String(cString: value)
}
