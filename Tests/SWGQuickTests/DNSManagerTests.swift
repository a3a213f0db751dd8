import Testing

@testable import SWGQuick

@Suite struct DNSManagerTests {
  @Test func resolvconfWinsWhenPresent() {
    #expect(DNS.manager(hasResolvconf: true, resolvedRuns: true, hasResolvectl: true) == .success(.resolvconf))
    #expect(DNS.manager(hasResolvconf: true, resolvedRuns: false, hasResolvectl: false) == .success(.resolvconf))
  }

  @Test func resolvectlOnlyWithRunningResolved() {
    #expect(DNS.manager(hasResolvconf: false, resolvedRuns: true, hasResolvectl: true) == .success(.resolvectl))
    #expect(
      DNS.manager(hasResolvconf: false, resolvedRuns: false, hasResolvectl: true)
        == .failure(DNS.ManagerMissing(resolvedRuns: false)))
    #expect(
      DNS.manager(hasResolvconf: false, resolvedRuns: true, hasResolvectl: false)
        == .failure(DNS.ManagerMissing(resolvedRuns: true)))
  }

  @Test func missingMessagesNameWhatIsMissing() {
    let none = DNS.ManagerMissing(resolvedRuns: false).message(servers: ["10.0.0.53", "fd00::53"])
    #expect(none.hasPrefix("DNS = 10.0.0.53, fd00::53 needs `resolvconf'"))
    #expect(none.contains("systemd-resolved is not running"))
    #expect(!none.contains("\n"))
    let noTool = DNS.ManagerMissing(resolvedRuns: true).message(servers: ["10.0.0.53"])
    #expect(noTool.contains("`resolvectl' for the running systemd-resolved"))
    #expect(!noTool.contains("not running"))
  }

  @Test func resolvectlCommandsMirrorResolvconfX() {
    #expect(
      DNS.resolvectlCommands(interface: "wg0", servers: ["10.0.0.53", "fd00::53"], search: ["corp.example", "lab.example"])
        == [
          ["resolvectl", "dns", "wg0", "10.0.0.53", "fd00::53"],
          ["resolvectl", "domain", "wg0", "corp.example", "lab.example", "~."],
        ])
    #expect(
      DNS.resolvectlCommands(interface: "wg1", servers: ["1.1.1.1"], search: [])
        == [["resolvectl", "dns", "wg1", "1.1.1.1"], ["resolvectl", "domain", "wg1", "~."]])
  }
}
