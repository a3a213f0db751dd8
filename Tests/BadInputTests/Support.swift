import Foundation
import Glibc
import Testing

/// True when this process may make network namespaces (root): the differential cases run
/// the real wg inside one, so that no name lookup can leave the machine.
let canUnshare: Bool = {
  guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/wg") else { return false }
  return run("/usr/bin/unshare", ["-n", "true"]).status == 0
}()

/// What a process printed and how it ended.
struct Outcome: Sendable {
  var status: Int32
  var stdout: [UInt8]
  var stderr: [UInt8]
  var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

/// Runs a program to its end. Output goes through files, so a program that writes
/// megabytes to stderr cannot block on a full pipe.
@discardableResult
func run(_ path: String, _ arguments: [String], stdin: [UInt8] = []) -> Outcome {
  let base = scratch + "/run-\(UUID().uuidString)"
  let inPath = base + ".in", outPath = base + ".out", errPath = base + ".err"
  defer { for f in [inPath, outPath, errPath] { unlink(f) } }
  guard FileManager.default.createFile(atPath: inPath, contents: Data(stdin)),
    FileManager.default.createFile(atPath: outPath, contents: nil),
    FileManager.default.createFile(atPath: errPath, contents: nil),
    let input = FileHandle(forReadingAtPath: inPath), let output = FileHandle(forWritingAtPath: outPath),
    let errors = FileHandle(forWritingAtPath: errPath)
  else { return Outcome(status: -1, stdout: [], stderr: Array("cannot make scratch files".utf8)) }
  let p = Process()
  p.executableURL = URL(fileURLWithPath: path)
  p.arguments = arguments
  p.standardInput = input
  p.standardOutput = output
  p.standardError = errors
  do { try p.run() } catch { return Outcome(status: -1, stdout: [], stderr: Array("\(error)".utf8)) }
  p.waitUntilExit()
  try? output.close()
  try? errors.close()
  try? input.close()
  let out = FileManager.default.contents(atPath: outPath) ?? Data()
  let err = FileManager.default.contents(atPath: errPath) ?? Data()
  return Outcome(status: p.terminationStatus, stdout: Array(out), stderr: Array(err))
}

/// The real wg(8), without a network. No interface named this exists, and wg reads its
/// arguments and files before it looks for one, so a bad input gets wg's message for it.
let noDevice = "swgbadnodev0"
func realWG(_ arguments: [String]) -> Outcome {
  run("/usr/bin/unshare", ["-n", "/usr/bin/wg"] + arguments)
}

/// A scratch directory for files the cases need, removed at exit.
let scratch: String = {
  let dir = NSTemporaryDirectory() + "swg-badinput-\(getpid())"
  try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
  atexit { try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "swg-badinput-\(getpid())") }
  return dir
}()

func writeFile(_ name: String, _ bytes: [UInt8], mode: Int = 0o600) -> String {
  let path = scratch + "/" + name
  _ = FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: mode])
  return path
}

/// Keys for the cases (never used for anything else).
enum BadKeys {
  static let privateKey = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk="
  static let publicKey = "HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw="
}

/// The repository's FuzzTesting/ directory, found from this file's path.
let fuzzTestingDirectory: String = {
  var url = URL(fileURLWithPath: #filePath)
  url.deleteLastPathComponent()  // BadInputTests
  url.deleteLastPathComponent()  // Tests
  return url.deletingLastPathComponent().appendingPathComponent("FuzzTesting").path
}()
