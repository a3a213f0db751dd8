// Per-IP removal (WGALLOWEDIP_F_REMOVE_ME) for kernels before 6.16, which refuse it: the
// change is rewritten so that every peer that removes prefixes gets its whole resulting
// list with REPLACE_ALLOWEDIPS. Pure: computed from the device as read just before.
import SWGCore

extension DeviceChange {
  /// True when some peer change removes single allowed IPs.
  public var removesAllowedIPs: Bool {
    peers.contains { $0.allowedIPs.contains(where: \.remove) }
  }

  /// The same change without per-IP removals, for a kernel that lacks them.
  ///
  /// Replays the change on a model of `current` with the kernel's rules (a prefix belongs
  /// to one peer at a time, so adding it to a peer takes it from another; removal only
  /// removes it from the named peer; REPLACE_PEERS, REPLACE_ALLOWEDIPS and peer removal
  /// empty lists). Replaying from a state where a prefix of the change was already
  /// applied gives the same result, so this is also right after a partly applied attempt.
  public func withoutAllowedIPRemovals(current: Device) -> DeviceChange {
    var owner: [AllowedIP: Key] = [:]
    // Per peer: prefixes in insertion order; stale entries are filtered by `owner` at the end.
    var order: [Key: [AllowedIP]] = [:]
    var exists: Set<Key> = []
    if !replacePeers {
      for peer in current.peers {
        exists.insert(peer.publicKey)
        for ip in peer.allowedIPs {
          let ip = ip.masked
          owner[ip] = peer.publicKey
          order[peer.publicKey, default: []].append(ip)
        }
      }
    }
    func clear(_ key: Key) {
      for ip in order[key] ?? [] where owner[ip] == key { owner[ip] = nil }
      order[key] = []
    }
    var rewritten = self
    for (n, change) in peers.enumerated() {
      let key = change.publicKey
      if change.remove {
        clear(key)
        exists.remove(key)
        continue
      }
      let removes = change.allowedIPs.contains(where: \.remove)
      if change.updateOnly && !exists.contains(key) {
        // The kernel skips this peer entirely; removals there are moot.
        if removes { rewritten.peers[n].allowedIPs = change.allowedIPs.filter { !$0.remove } }
        continue
      }
      exists.insert(key)
      if change.replaceAllowedIPs { clear(key) }
      for entry in change.allowedIPs {
        let ip = entry.allowedIP.masked
        if entry.remove {
          if owner[ip] == key { owner[ip] = nil }
        } else if owner[ip] != key {
          owner[ip] = key
          order[key, default: []].append(ip)
        }
      }
      guard removes else { continue }
      var seen: Set<AllowedIP> = []
      let list = (order[key] ?? []).filter { owner[$0] == key && seen.insert($0).inserted }
      order[key] = list
      rewritten.peers[n].replaceAllowedIPs = true
      rewritten.peers[n].allowedIPs = list.map { AllowedIPChange($0) }
    }
    return rewritten
  }
}

extension AllowedIP {
  /// The prefix with host bits cleared, as the kernel stores it.
  var masked: AllowedIP {
    switch address {
    case .v4(let a):
      let mask: UInt32 = cidr == 0 ? 0 : UInt32.max << (32 - UInt32(min(cidr, 32)))
      return AllowedIP(address: .v4(IPv4Address(a.value & mask)), cidr: cidr) ?? self
    case .v6(let a):
      let c = UInt64(min(cidr, 128))
      let highMask: UInt64 = c == 0 ? 0 : (c >= 64 ? UInt64.max : UInt64.max << (64 - c))
      let lowMask: UInt64 = c <= 64 ? 0 : (c >= 128 ? UInt64.max : UInt64.max << (128 - c))
      return AllowedIP(
        address: .v6(IPv6Address(high: a.high & highMask, low: a.low & lowMask)), cidr: cidr)
        ?? self
    }
  }
}
