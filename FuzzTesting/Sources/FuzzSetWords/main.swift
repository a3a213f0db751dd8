// libFuzzer entry for the `wg set` word grammar: the input is argv split at NUL bytes.
// The property lives in Tests/BadInputTests/Properties/Config.
import ConfigProperties
import FuzzSupport

let keys = KeyFileFixture()

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> CInt {
  fuzzEnvironment()
  return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSetWords(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  fuzzCheck(checkSetWords(fuzzInput(start, count), keys: keys))
  return 0
}
