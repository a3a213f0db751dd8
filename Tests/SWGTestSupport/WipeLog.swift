import Foundation
import SWGCore

/// Records what `wipe` saw on this task: each region's bytes just before, and just after,
/// it was zeroed. Shared by the test targets that check key hygiene.
public final class WipeLog: @unchecked Sendable {
  public struct Event: Sendable {
    public let address: UInt
    public let bytes: [UInt8]
    public let stage: WipeObserver.Stage
  }
  public init() {}

  private let lock = NSLock()
  private var storage: [Event] = []

  public var events: [Event] { lock.withLock { storage } }

  /// Runs `body` with every wipe on this task recorded.
  public static func observing<R>(_ body: () throws -> R) rethrows -> (R, WipeLog) {
    let log = WipeLog()
    let observer: WipeObserver.Observer = { raw, stage in
      let e = Event(address: UInt(bitPattern: raw.baseAddress), bytes: Array(raw), stage: stage)
      log.lock.withLock { log.storage.append(e) }
    }
    WipeObserver.isEnabled = true
    let result = try WipeObserver.$current.withValue(observer, operation: body)
    return (result, log)
  }

  /// The regions that held `needle` and were all zeros right after their wipe.
  public func wipedRegions(holding needle: [UInt8]) -> [Event] {
    let all = events
    var found: [Event] = []
    for (i, e) in all.enumerated() where e.stage == .before && WipeLog.contains(e.bytes, needle) {
      guard i + 1 < all.count else { continue }
      let after = all[i + 1]
      if after.stage == .after, after.address == e.address, after.bytes.count == e.bytes.count,
        after.bytes.allSatisfy({ $0 == 0 })
      {
        found.append(e)
      }
    }
    return found
  }

  public func wipedRegions(holding text: String) -> [Event] { wipedRegions(holding: Array(text.utf8)) }

  public static func contains(_ hay: [UInt8], _ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty, hay.count >= needle.count else { return false }
    for start in 0...(hay.count - needle.count)
    where hay[start..<(start + needle.count)].elementsEqual(needle) {
      return true
    }
    return false
  }
}
