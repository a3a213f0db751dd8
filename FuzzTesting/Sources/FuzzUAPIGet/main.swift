// libFuzzer entry for the UAPI `get=1` reply parser. The property lives in
// Tests/BadInputTests/Properties/UAPI, so `swift test` replays inputs with the same checks.
import FuzzSupport
import UAPIProperties

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzUAPIGet(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  fuzzCheck(checkUAPIGetReply(fuzzInput(start, count)))
  return 0
}
