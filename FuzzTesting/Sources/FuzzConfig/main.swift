// libFuzzer entry for the wg(8) config file parser and the showconf writer.
// The property lives in Tests/BadInputTests/Properties/Config.
import ConfigProperties
import FuzzSupport

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> CInt {
  fuzzEnvironment()
  return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  fuzzCheck(checkConfigFile(fuzzInput(start, count)))
  return 0
}
