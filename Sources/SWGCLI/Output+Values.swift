import Glibc
import SWGCore

/// Appending model values as wg prints them, straight into the byte buffer.
extension Output {
  /// A key as 44 characters of base64.
  @inline(__always)
  public mutating func append(key: Key) {
    append(key.base64)
  }

  /// An address as inet_ntop prints it.
  @inline(__always)
  public mutating func append(address: IPAddress) {
    switch address {
    case .v4(let a): append(ipv4: a.value)
    case .v6(let a): append(ipv6: a)
    }
  }

  /// IPv6 text exactly as glibc's inet_ntop writes it: lowercase hex groups without leading
  /// zeros, the first longest run of two or more zero groups as `::`, and the last 32 bits
  /// as a dotted quad for IPv4-compatible (`::a.b.c.d`) and IPv4-mapped (`::ffff:a.b.c.d`)
  /// addresses. (inet_ntop itself goes through sprintf, which dominated big dumps.)
  public mutating func append(ipv6 a: IPv6Address) {
    let words: [UInt16] = [
      UInt16(truncatingIfNeeded: a.high >> 48), UInt16(truncatingIfNeeded: a.high >> 32),
      UInt16(truncatingIfNeeded: a.high >> 16), UInt16(truncatingIfNeeded: a.high),
      UInt16(truncatingIfNeeded: a.low >> 48), UInt16(truncatingIfNeeded: a.low >> 32),
      UInt16(truncatingIfNeeded: a.low >> 16), UInt16(truncatingIfNeeded: a.low),
    ]
    var bestBase = -1, bestLen = 0, curBase = -1, curLen = 0
    for i in 0..<8 {
      if words[i] == 0 {
        if curBase < 0 { curBase = i; curLen = 1 } else { curLen += 1 }
      } else if curBase >= 0 {
        if bestBase < 0 || curLen > bestLen { bestBase = curBase; bestLen = curLen }
        curBase = -1
      }
    }
    if curBase >= 0 && (bestBase < 0 || curLen > bestLen) { bestBase = curBase; bestLen = curLen }
    if bestBase >= 0 && bestLen < 2 { bestBase = -1 }
    var i = 0
    while i < 8 {
      if bestBase >= 0 && i >= bestBase && i < bestBase + bestLen {
        if i == bestBase { append(byte: 58) }
        i += 1
        continue
      }
      if i != 0 { append(byte: 58) }
      if i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && words[5] == 0xffff)) {
        append(ipv4: UInt32(truncatingIfNeeded: a.low))
        return
      }
      appendHexGroup(words[i])
      i += 1
    }
    if bestBase >= 0 && bestBase + bestLen == 8 { append(byte: 58) }
  }

  @inline(__always)
  private mutating func appendHexGroup(_ w: UInt16) {
    var started = false
    for shift in stride(from: 12, through: 0, by: -4) {
      let nibble = UInt8(truncatingIfNeeded: (w >> UInt16(shift)) & 15)
      if nibble != 0 || started || shift == 0 {
        started = true
        append(byte: nibble < 10 ? nibble &+ 48 : nibble &+ 87)
      }
    }
  }

  /// Dotted quad from a host-order value.
  @inline(__always)
  mutating func append(ipv4 value: UInt32) {
    append(decimal: UInt64(value >> 24))
    append(byte: 46)
    append(decimal: UInt64((value >> 16) & 0xff))
    append(byte: 46)
    append(decimal: UInt64((value >> 8) & 0xff))
    append(byte: 46)
    append(decimal: UInt64(value & 0xff))
  }

  /// `host:port` or `[v6host]:port`, as getnameinfo(NI_NUMERICHOST|NI_NUMERICSERV) gives it.
  public mutating func append(endpoint: Endpoint) {
    switch endpoint {
    case .v4(let a, let port):
      append(ipv4: a.value)
      append(byte: 58)
      append(decimal: UInt64(port))
    case .v6(let a, let port, _, let scopeID) where scopeID == 0:
      append(byte: 91)
      append(address: .v6(a))
      append("]:")
      append(decimal: UInt64(port))
    default:
      // A scope id prints as %ifname; getnameinfo knows how.
      append(endpoint.description)
    }
  }
}
