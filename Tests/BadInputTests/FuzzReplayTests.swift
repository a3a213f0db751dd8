import Foundation
import Glibc
import Testing

// Every input committed under FuzzTesting/FailCases/TARGET (crashers found by fuzzing) and
// FuzzTesting/Corpus/TARGET (the seeds), replayed through the same property the fuzz target
// checks. Each target runs in a child process (an exit test), so an input that still traps
// fails its test instead of taking the test run down; the child drops its network first,
// because the parsers resolve endpoint names.

/// Replays one target's inputs; returns the exit status for the child: 0 when every
/// property held. Names each input on stderr before running it, so a trap is traceable.
func replayInputs(_ target: String, _ check: (UnsafeRawBufferPointer) -> [String]) -> Int32 {
  typealias Unshare = @convention(c) (Int32) -> Int32
  guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "unshare"),
    unsafeBitCast(symbol, to: Unshare.self)(0x4000_0000 /* CLONE_NEWNET */) == 0
  else {
    say("cannot leave the network: refusing to replay inputs that may name hosts\n")
    return 3
  }
  setenv("WG_ENDPOINT_RESOLUTION_RETRIES", "0", 1)
  var failed = false
  var count = 0
  for kind in ["FailCases", "Corpus"] {
    let dir = fuzzTestingDirectory + "/\(kind)/\(target)"
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
    for name in names {
      guard let data = FileManager.default.contents(atPath: dir + "/" + name) else { continue }
      say("replaying \(kind)/\(target)/\(name)\n")
      let problems = data.withUnsafeBytes { check($0) }
      for p in problems {
        say("FAILED \(kind)/\(target)/\(name): \(p)\n")
        failed = true
      }
      count += 1
    }
  }
  say("replayed \(count) inputs\n")
  return failed ? 1 : count > 0 ? 0 : 2
}

/// Writes a line to stderr (the parent reads it when the child fails).
func say(_ text: String) {
  FileHandle.standardError.write(Data(text.utf8))
}

/// Reports the child's last words when it did not exit 0.
func reportReplay(_ result: ExitTest.Result?) {
  guard let result, result.exitStatus != .exitCode(0) else { return }
  let lines = String(decoding: result.standardErrorContent, as: UTF8.self).split(separator: "\n")
  let tail = lines.suffix(6).joined(separator: "\n")
  Issue.record("replay child: \(result.exitStatus)\n\(tail)")
}

@Suite(.enabled(if: getuid() == 0, "the replay child needs root to drop its network"))
struct FuzzReplayTests {
  @Test func uapiGetReplies() async {
    let r = await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
      exit(replayInputs("FuzzUAPIGet") { checkUAPIGetReply($0) })
    }
    reportReplay(r)
  }

  @Test func configFiles() async {
    let r = await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
      exit(replayInputs("FuzzConfig") { checkConfigFile($0) })
    }
    reportReplay(r)
  }

  @Test func wgQuickConfigFiles() async {
    let r = await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
      exit(replayInputs("FuzzQuickConfig") { checkWgQuickConfig($0) })
    }
    reportReplay(r)
  }

  @Test func setWords() async {
    let r = await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
      let keys = KeyFileFixture()
      let status = replayInputs("FuzzSetWords") { checkSetWords($0, keys: keys) }
      try? FileManager.default.removeItem(atPath: keys.directory)
      exit(status)
    }
    reportReplay(r)
  }

  @Test func netlinkDumps() async {
    let r = await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
      exit(replayInputs("FuzzNetlinkDump") { checkNetlinkDump($0) })
    }
    reportReplay(r)
  }
}
