import Glibc
import SWGCore

/// Parsers for single configuration values, each behaving as wg(8)'s `config.c` does for
/// the same text (in `wg set` words and in config files alike).
///
/// Every parser works on bytes; the `String` overloads are conveniences. Errors carry wg's
/// exact message; warnings go to `warn` as they happen, in wg's order.
public enum ConfigValue {
  /// A listen port: a number or a UDP service name, resolved by getaddrinfo as wg does.
  /// Numbers wrap modulo 65536 as glibc wraps them (`99999` is 34463, `65536` is 0).
  public static func port(_ text: String) throws(ConfigError) -> UInt16 {
    try port(Array(text.utf8))
  }

  public static func port(_ text: [UInt8]) throws(ConfigError) -> UInt16 {
    let value = cString(text)
    if value.count == 1 { throw .emptyPort }
    var hints = addrinfo()
    hints.ai_family = AF_UNSPEC
    hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
    hints.ai_protocol = Int32(IPPROTO_UDP)
    hints.ai_flags = AI_PASSIVE
    var result: UnsafeMutablePointer<addrinfo>?
    let rc = value.withUnsafeBufferPointer { getaddrinfo(nil, $0.baseAddress, &hints, &result) }
    guard rc == 0, let first = result else {
      throw .invalidPort(reason: gaiReason(rc), value: echo(text))
    }
    defer { freeaddrinfo(first) }
    guard let endpoint = inetEndpoint(first.pointee) else {
      throw .notInetAddress(value: echo(text))
    }
    return endpoint.port
  }

  /// A firewall mark: `off` (any case) or `0`, a decimal number, or `0x` and hex digits;
  /// at most 0xffffffff. 0 means off.
  public static func fwmark(_ text: String) throws(ConfigError) -> UInt32 {
    try fwmark(Array(text.utf8))
  }

  public static func fwmark(_ text: [UInt8]) throws(ConfigError) -> UInt32 {
    let value = truncatedAtNUL(text)
    if equalsIgnoringCase(value, "off") { return 0 }
    guard let first = value.first, isDigit(first) else { throw .invalidFwmark(value: echo(text)) }
    let number: UInt64?
    if value.count > 2 && value[0] == UInt8(ascii: "0") && value[1] == UInt8(ascii: "x") {
      number = parseUnsigned(value.dropFirst(2), radix: 16)
    } else {
      number = parseUnsigned(value[...], radix: 10)
    }
    guard let number, number <= UInt64(UInt32.max) else { throw .invalidFwmark(value: echo(text)) }
    return UInt32(number)
  }

  /// A persistent-keepalive interval in seconds: `off` (any case) or 0-65535. 0 means off.
  public static func persistentKeepalive(_ text: String) throws(ConfigError) -> UInt16 {
    try persistentKeepalive(Array(text.utf8))
  }

  public static func persistentKeepalive(_ text: [UInt8]) throws(ConfigError) -> UInt16 {
    let value = truncatedAtNUL(text)
    if equalsIgnoringCase(value, "off") { return 0 }
    guard let first = value.first, isDigit(first),
      let number = parseUnsigned(value[...], radix: 10),
      number <= 65535
    else { throw .invalidPersistentKeepalive(value: echo(text)) }
    return UInt16(number)
  }

  /// A key in wg's base64 form: exactly 44 characters, canonical, ending in `=`.
  public static func key(_ text: String) throws(ConfigError) -> Key {
    try key(Array(text.utf8))
  }

  public static func key(_ text: [UInt8]) throws(ConfigError) -> Key {
    try truncatedAtNUL(text).withUnsafeBufferPointer { (value) throws(ConfigError) in
      try key(value)
    }
  }

  /// A key from bytes holding no NUL (a config line, stripped).
  static func key(_ value: UnsafeBufferPointer<UInt8>) throws(ConfigError) -> Key {
    guard let key = Key(base64Buffer: value) else { throw .invalidKey(value: echo(value)) }
    return key
  }
}

// MARK: - Shared byte helpers

/// The bytes up to the first NUL: what C code sees of a string.
func truncatedAtNUL(_ bytes: [UInt8]) -> [UInt8] {
  guard let nul = bytes.firstIndex(of: 0) else { return bytes }
  return Array(bytes[..<nul])
}

/// The bytes up to the first NUL, NUL-terminated, as `CChar`s for a C call.
func cString(_ bytes: [UInt8]) -> [CChar] {
  var out = [CChar]()
  out.reserveCapacity(bytes.count + 1)
  for b in bytes {
    if b == 0 { break }
    out.append(CChar(bitPattern: b))
  }
  out.append(0)
  return out
}

/// Input to quote in a message: up to the first NUL, as C would print it.
func echo<C: Collection>(_ bytes: C) -> InputText where C.Element == UInt8 {
  InputText(bytes: truncatedAtNUL(Array(bytes)))
}

func lossy<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
  String(decoding: truncatedAtNUL(Array(bytes)), as: UTF8.self)
}

@inline(__always) func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

/// wg's `char_is_space`: space, \t, \n, \v, \f, \r.
@inline(__always) func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0d) }

@inline(__always) func lowercased(_ c: UInt8) -> UInt8 {
  c >= 0x41 && c <= 0x5a ? c | 0x20 : c
}

/// ASCII case-insensitive equality, as strcasecmp in the C locale. The words are literals
/// (StaticString: static bytes, no String to retain for every line of a config).
func equalsIgnoringCase<C: Collection>(_ bytes: C, _ word: StaticString) -> Bool
where C.Element == UInt8 {
  word.withUTF8Buffer { w in bytes.count == w.count && matchesIgnoringCase(bytes, w) }
}

/// ASCII case-insensitive prefix test, as strncasecmp.
func hasPrefixIgnoringCase<C: Collection>(_ bytes: C, _ word: StaticString) -> Bool
where C.Element == UInt8 {
  word.withUTF8Buffer { w in bytes.count >= w.count && matchesIgnoringCase(bytes, w) }
}

/// Whether `bytes` starts with `word`, ignoring ASCII case; `bytes` is at least as long.
/// (A plain index loop: zipping with String.UTF8View was a tenth of setconf's time.)
@inline(__always)
private func matchesIgnoringCase<C: Collection>(_ bytes: C, _ word: UnsafeBufferPointer<UInt8>)
  -> Bool where C.Element == UInt8
{
  var i = bytes.startIndex
  for c in word {
    guard i != bytes.endIndex, lowercased(bytes[i]) == lowercased(c) else { return false }
    bytes.formIndex(after: &i)
  }
  return true
}

/// Digits only (at least one) in `radix`; nil on any other character. Saturates instead of
/// overflowing, like strtoul returning ULONG_MAX.
func parseUnsigned<C: Collection>(_ digits: C, radix: UInt64) -> UInt64? where C.Element == UInt8 {
  guard !digits.isEmpty else { return nil }
  var value: UInt64 = 0
  for c in digits {
    let d: UInt64
    switch c {
    case 0x30...0x39: d = UInt64(c - 0x30)
    case 0x61...0x66 where radix == 16: d = UInt64(c - 0x61 + 10)
    case 0x41...0x46 where radix == 16: d = UInt64(c - 0x41 + 10)
    default: return nil
    }
    let (m, o1) = value.multipliedReportingOverflow(by: radix)
    let (s, o2) = m.addingReportingOverflow(d)
    value = (o1 || o2) ? UInt64.max : s
  }
  return value
}

/// The text wg prints for a getaddrinfo failure: strerror for EAI_SYSTEM, else gai_strerror.
func gaiReason(_ rc: Int32) -> String {
  if rc == EAI_SYSTEM { return Errno.current.description }
  guard let text = gai_strerror(rc) else { return "Unknown error \(rc)" }
  return String(cString: text)
}

/// The socket address of one getaddrinfo result, if it is a whole sockaddr_in/sockaddr_in6.
func inetEndpoint(_ info: addrinfo) -> Endpoint? {
  guard let addr = info.ai_addr else { return nil }
  let length = Int(info.ai_addrlen)
  let expected: Int
  switch info.ai_family {
  case AF_INET: expected = MemoryLayout<sockaddr_in>.size
  case AF_INET6: expected = MemoryLayout<sockaddr_in6>.size
  default: return nil
  }
  guard length == expected else { return nil }
  return Endpoint(sockaddr: UnsafeRawBufferPointer(start: UnsafeRawPointer(addr), count: length))
}
