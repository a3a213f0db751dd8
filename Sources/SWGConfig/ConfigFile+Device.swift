import SWGCore

extension ConfigFile {
  /// The device `wg setconf` would leave behind on a fresh interface named `name`
  /// (see `Device.applying(_:)` for how the change is applied).
  public func asDevice(named name: String) -> Device {
    Device(name: name).applying(asSetconfChange())
  }
}

extension AllowedIP {
  /// The prefix with its host bits cleared, as the kernel stores it.
  var masked: AllowedIP {
    var copy = self
    switch address {
    case .v4(let a):
      let mask: UInt32 = cidr == 0 ? 0 : UInt32.max << (32 - UInt32(cidr))
      copy.address = .v4(IPv4Address(a.value & mask))
    case .v6(let a):
      let highMask: UInt64 =
        cidr == 0 ? 0 : (cidr >= 64 ? UInt64.max : UInt64.max << (64 - UInt64(cidr)))
      let lowMask: UInt64 =
        cidr <= 64 ? 0 : (cidr >= 128 ? UInt64.max : UInt64.max << (128 - UInt64(cidr)))
      copy.address = .v6(IPv6Address(high: a.high & highMask, low: a.low & lowMask))
    }
    return copy
  }
}
