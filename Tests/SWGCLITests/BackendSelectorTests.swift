import Glibc
import SWGCore
import Testing
@testable import SWGCLI

@Suite struct BackendSelectorTests {
  let kernel = FakeBackend([Device(name: "wg0"), Device(name: "both")])
  let userspace = FakeBackend([Device(name: "go0", listenPort: 1), Device(name: "both", listenPort: 2)])

  func selector() -> BackendSelector {
    BackendSelector(kernel: kernel, userspace: userspace, isUserspace: { ["go0", "both"].contains($0) })
  }

  @Test func listsKernelThenUserspace() throws {
    #expect(try selector().deviceNames() == ["wg0", "both", "go0", "both"])
  }

  @Test func userspaceSocketWinsForItsName() throws {
    #expect(try selector().device(named: "both").listenPort == 2)
    #expect(try selector().device(named: "wg0").name == "wg0")
    try selector().apply(DeviceChange(listenPort: 5), to: "go0")
    try selector().apply(DeviceChange(listenPort: 6), to: "wg0")
    #expect(userspace.applied.map(\.0) == ["go0"] && kernel.applied.map(\.0) == ["wg0"])
  }

  @Test func unknownNamesGoToTheKernel() {
    #expect(throws: Errno.noSuchDevice) { try selector().device(named: "nope") }
  }

  @Test func listingFailsIfEitherSideFails() {
    userspace.listError = Errno(EACCES)
    #expect(throws: Errno(EACCES)) { try selector().deviceNames() }
    userspace.listError = nil
    kernel.listError = Errno(EPROTONOSUPPORT)
    #expect(throws: Errno(EPROTONOSUPPORT)) { try selector().deviceNames() }
  }
}
