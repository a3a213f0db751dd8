#if canImport(Glibc)
  import Glibc
#endif

/// Stops the fuzzer with the problems found, so libFuzzer saves the input as a crash.
/// (Tests replaying the same inputs `#expect` the list to be empty instead.)
public func fuzzCheck(_ problems: [String]) {
  guard !problems.isEmpty else { return }
  for p in problems {
    let line = Array("property failed: \(p)\n".utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
  }
  abort()
}

/// The bytes libFuzzer hands over, as a buffer (libFuzzer passes NULL for empty input).
public func fuzzInput(_ start: UnsafeRawPointer?, _ count: Int) -> UnsafeRawBufferPointer {
  UnsafeRawBufferPointer(start: count > 0 ? start : nil, count: count)
}

/// Settings every fuzzer starts with: endpoint names are tried once, never retried with
/// sleeps (scripts/fuzz.sh also runs the fuzzers without a network, so a name lookup
/// fails at once instead of leaving the machine).
public func fuzzEnvironment() {
  setenv("WG_ENDPOINT_RESOLUTION_RETRIES", "0", 1)
}
