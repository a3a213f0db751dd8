// libFuzzer entry for the wg-quick(8) config parser (and `strip`).
// The property lives in Tests/BadInputTests/Properties/Config.
import ConfigProperties
import FuzzSupport

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> CInt {
  fuzzEnvironment()
  return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQuickConfig(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  fuzzCheck(checkWgQuickConfig(fuzzInput(start, count)))
  return 0
}
