// libFuzzer entry for the kernel reply path: netlink datagrams answering WG_CMD_GET_DEVICE,
// through NetlinkConnection into the dump assembler (peer coalescer).
// The property lives in Tests/BadInputTests/Properties/Netlink.
import FuzzSupport
import NetlinkProperties

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNetlinkDump(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  let input = fuzzInput(start, count)
  if skipKnownBugs(input) { return -1 }
  fuzzCheck(checkNetlinkDump(input))
  return 0
}

/// Inputs that hit a crash already committed in FailCases/FuzzNetlinkDump (and replayed by
/// BadInputTests), skipped so the fuzzer can look for others. Empty it once they are fixed.
/// - nlmsg-len-over-int32-max: an nlmsg_len of 2^31 or more passes libmnl's
///   mnl_nlmsg_ok (it compares as int) and NetlinkReply.split slices past the datagram.
func skipKnownBugs(_ input: UnsafeRawBufferPointer) -> Bool {
  var i = 1
  while i < input.count {
    let length = i + 2 <= input.count ? Int(input[i]) | Int(input[i + 1]) << 8 : input.count - i
    i = min(input.count, i + 2)
    let end = min(input.count, i + length)
    var offset = i
    while offset + 16 <= end {
      let n = UInt32(input[offset]) | UInt32(input[offset + 1]) << 8 | UInt32(input[offset + 2]) << 16
        | UInt32(input[offset + 3]) << 24
      if n >= 0x8000_0000 { return true }
      guard n >= 16 else { break }
      offset += Int((n + 3) & ~3)
    }
    i = end
  }
  return false
}
