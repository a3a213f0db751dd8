// Zeroing memory that held secrets: private and preshared keys and their base64/hex text.
//
// Key hygiene, what swg wipes (explicit_bzero, a store the optimiser may not drop):
// - key files as read (`set private-key FILE`, `preshared-key FILE`);
// - genkey/genpsk/pubkey: the key's text, the input read after it, the Key value;
// - setconf/addconf/syncconf: the file as read (and every buffer it grew through), the
//   parsed keys in the ConfigFile and the DeviceChange, the device read for syncconf;
// - the UAPI request text (after each chunk is sent), the reply buffer and a partial line
//   carried between reads; the netlink SET messages once sent (NetlinkConnection wipes its
//   own datagrams); a device's peer list outgrown while a GET reply is decoded;
// - show/showconf: the key text (made in wiped scratch, no String), the output buffer after
//   each write, and the device's keys once printed.
// - swg-quick: the config file as read, each line as parsed, the WireGuard part kept for
//   `wg addconf` and `strip` (and strip's output), and the keys parsed from it once sent.
//   (`save` builds its text as a String: not wiped.)
// What it cannot wipe:
// - copies of `Key` values: it is a copyable 32-byte struct, so Swift leaves copies in
//   registers, stack slots and temporaries that no code can reach;
// - `String`s made from keys (`Key.base64`, `Key.hex`, interpolation, error texts that echo
//   a malformed key as wg does): immutable storage no API can zero;
// - storage freed by growth inside code that does not use these helpers (e.g. an
//   `Array.append` that reallocates), and the spare capacity past a buffer's count (the
//   netlink writer zeroes a nest it drops, so a peer that did not fit leaves no key);
// - the kernel's, the daemon's and the page cache's own copies, and swapped-out pages.
import Glibc

/// Zeroes `buffer` in a way the optimiser may not remove.
public func wipe(_ buffer: UnsafeMutableRawBufferPointer) {
  guard let base = buffer.baseAddress, buffer.count > 0 else { return }
  // A task-local lookup costs more than zeroing a key: only made once a test asked for it.
  let observer = WipeObserver.isEnabled ? WipeObserver.current : nil
  observer?(UnsafeRawBufferPointer(buffer), .before)
  explicit_bzero(base, buffer.count)
  observer?(UnsafeRawBufferPointer(buffer), .after)
}

/// Zeroes the first `prefix` bytes of `bytes` (all of them by default), in place.
///
/// The array must be the only holder of its storage: a copy sharing it would make this
/// write to a fresh copy (copy-on-write) and leave the original as it was.
public func wipe(_ bytes: inout [UInt8], prefix: Int = .max) {
  let n = min(max(prefix, 0), bytes.count)
  guard n > 0 else { return }
  bytes.withUnsafeMutableBytes { wipe(UnsafeMutableRawBufferPointer(rebasing: $0[0..<n])) }
}

/// Zeroes the storage `bytes` shares with every other copy of it, without copy-on-write.
///
/// For buffers whose owner hands out no mutable access (e.g. a sent netlink message): every
/// copy sees zeros afterwards, so call it only when all of them are finished with.
public func wipeSharedStorage(of bytes: [UInt8]) {
  bytes.withUnsafeBytes { raw in
    guard let base = raw.baseAddress, raw.count > 0 else { return }
    wipe(
      UnsafeMutableRawBufferPointer(
        start: UnsafeMutableRawPointer(mutating: base), count: raw.count))
  }
}

/// Runs `body` with `byteCount` bytes of scratch memory that is zeroed before it is freed.
public func withWipedScratch<R>(
  byteCount: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> R
) rethrows -> R {
  let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(byteCount, 1), alignment: 16)
  defer {
    wipe(buffer)
    buffer.deallocate()
  }
  return try body(UnsafeMutableRawBufferPointer(rebasing: buffer[0..<max(byteCount, 0)]))
}

/// Appends `chunk` to `bytes`, and when that needs more room, moves to bigger storage itself
/// and wipes the old one (Array's own growth frees the old storage without zeroing it).
public func appendWipingOldStorage(_ bytes: inout [UInt8], _ chunk: UnsafeRawBufferPointer) {
  let needed = bytes.count + chunk.count
  if needed > bytes.capacity {
    var grown: [UInt8] = []
    grown.reserveCapacity(max(needed, bytes.capacity * 2))
    grown.append(contentsOf: bytes)
    wipe(&bytes)
    bytes = grown
  }
  bytes.append(contentsOf: chunk)
}

/// Sees every wipe on the current task, so tests can check that a call site wiped what it
/// should. Unset (and free) in production.
public enum WipeObserver {
  public enum Stage: Sendable { case before, after }
  public typealias Observer = @Sendable (UnsafeRawBufferPointer, Stage) -> Void
  @TaskLocal public static var current: Observer?
  /// Set (once, never cleared) by tests before they bind `current`; production leaves it
  /// false, so a wipe never looks the observer up.
  @exclusivity(unchecked) nonisolated(unsafe) public static var isEnabled = false
}

extension Key {
  /// Zeroes this key's bytes (this copy only: see `Key`).
  public mutating func wipe() {
    withUnsafeMutableBytes { SWGCore.wipe($0) }
  }

  /// Runs `body` with the key's 44 characters of base64 in scratch memory that is wiped
  /// afterwards, so no String copy of the key is made.
  public func withBase64<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try withUnsafeTemporaryAllocation(byteCount: ConstantTimeCoding.base64Length, alignment: 1) {
      text in
      defer { SWGCore.wipe(text) }
      withUnsafeBytes { ConstantTimeCoding.encodeBase64Key($0, into: text) }
      return try body(UnsafeRawBufferPointer(text))
    }
  }

  /// Appends the key's 44 characters of base64 to `bytes`, through stack scratch that is
  /// wiped (no String, no heap copy; non-generic, so callers in other modules pay no
  /// generic dispatch per key).
  public func appendBase64(to bytes: inout [UInt8]) {
    var text: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
    Swift.withUnsafeMutableBytes(of: &text) { raw in
      let t = UnsafeMutableRawBufferPointer(rebasing: raw[0..<ConstantTimeCoding.base64Length])
      withUnsafeBytes { ConstantTimeCoding.encodeBase64Key($0, into: t) }
      bytes.append(contentsOf: UnsafeRawBufferPointer(t))
      SWGCore.wipe(t)
    }
  }

  /// As `withBase64`, with the 64 lowercase hex digits of the UAPI protocol.
  public func withHex<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try withUnsafeTemporaryAllocation(byteCount: ConstantTimeCoding.hexLength, alignment: 1) {
      text in
      defer { SWGCore.wipe(text) }
      withUnsafeBytes { ConstantTimeCoding.encodeHexKey($0, into: text) }
      return try body(UnsafeRawBufferPointer(text))
    }
  }
}

extension DeviceChange {
  /// Zeroes the private key and every preshared key held here (in place when this change
  /// owns its peer list; a list shared with another value is copied first, then zeroed).
  public mutating func wipeKeys() {
    privateKey?.wipe()
    for i in peers.indices where peers[i].presharedKey != nil { peers[i].presharedKey?.wipe() }
  }
}

extension Device {
  /// Zeroes the private key and every preshared key held here (as `DeviceChange.wipeKeys`).
  public mutating func wipeKeys() {
    privateKey?.wipe()
    for i in peers.indices where peers[i].presharedKey != nil { peers[i].presharedKey?.wipe() }
  }
}

/// A value that holds secret keys and can zero them in place.
public protocol KeyWiping {
  mutating func wipeKeys()
}

extension Peer: KeyWiping {
  /// Zeroes the preshared key (the public key is not secret).
  public mutating func wipeKeys() { presharedKey?.wipe() }
}

extension PeerChange: KeyWiping {
  /// Zeroes the preshared key (the public key is not secret).
  public mutating func wipeKeys() { presharedKey?.wipe() }
}

/// Appends `element`, and when the array is full, moves to bigger storage itself and zeroes
/// the keys left in the old one (Array's own growth frees it with the keys still in it).
@inlinable
public func appendWipingOldStorage<T: KeyWiping>(_ array: inout [T], _ element: T) {
  if array.count == array.capacity && !array.isEmpty {
    var grown: [T] = []
    grown.reserveCapacity(array.count * 2)
    grown.append(contentsOf: array)
    var old = grown
    swap(&old, &array)  // `old` now holds the outgrown storage alone
    for i in old.indices { old[i].wipeKeys() }
  }
  array.append(element)
}
