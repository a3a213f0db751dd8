import SWGCore

extension ConfigFile {
  /// What `wg setconf` sends: every device field (absent ones as zero: no private key,
  /// a random port, no fwmark) and the file's peers replacing all existing peers.
  public func asSetconfChange() -> DeviceChange {
    DeviceChange(
      privateKey: privateKey ?? .zero, listenPort: listenPort ?? 0, fwmark: fwmark ?? 0,
      replacePeers: true, peers: peers)
  }

  /// What `wg addconf` sends: only the device fields the file sets; its peers are added or
  /// updated, other peers are kept.
  public func asAddconfChange() -> DeviceChange {
    DeviceChange(
      privateKey: privateKey, listenPort: listenPort, fwmark: fwmark, replacePeers: false,
      peers: peers)
  }

  /// What `wg syncconf` sends, given the device as it is now.
  ///
  /// As setconf when the file or the device has no peers. Otherwise peers are not replaced
  /// wholesale: each device peer missing from the file is removed (removals first, in
  /// descending key order, as wg prepends them), and a kept peer whose preshared key or
  /// persistent keepalive the file does not mention has it cleared.
  public func syncChange(runtime: Device) -> DeviceChange {
    var change = asSetconfChange()
    if peers.isEmpty || runtime.peers.isEmpty { return change }
    change.replacePeers = false

    // wg sorts file and runtime peers together by key, runtime first on a tie.
    struct Origin {
      var key: Key
      var fromFile: Bool
      var index: Int
    }
    var all = peers.enumerated().map {
      Origin(key: $0.element.publicKey, fromFile: true, index: $0.offset)
    }
    all += runtime.peers.enumerated().map {
      Origin(key: $0.element.publicKey, fromFile: false, index: $0.offset)
    }
    all.sort { a, b in
      if a.key != b.key { return Key.byteOrder(a.key, b.key) }
      if a.fromFile != b.fromFile { return !a.fromFile }
      return a.index < b.index
    }

    // Collected in ascending order and reversed once (inserting each at the front was
    // quadratic: a tenth of 10,000 peers removed moved ~75 MB).
    var removals: [PeerChange] = []
    for (i, entry) in all.enumerated() where !entry.fromFile {
      let next = i + 1 < all.count ? all[i + 1] : nil
      guard let next, next.fromFile, next.key == entry.key else {
        removals.append(PeerChange(publicKey: entry.key, remove: true))
        continue
      }
      let live = runtime.peers[entry.index]
      if let psk = live.presharedKey, !psk.isZero, change.peers[next.index].presharedKey == nil {
        change.peers[next.index].presharedKey = .zero
      }
      if live.persistentKeepalive != 0, change.peers[next.index].persistentKeepalive == nil {
        change.peers[next.index].persistentKeepalive = 0
      }
    }
    removals.reverse()
    change.peers = removals + change.peers
    return change
  }

  /// `syncChange(runtime:)` as a free function, for callers that prefer it.
  public static func syncChange(file: ConfigFile, runtime: Device) -> DeviceChange {
    file.syncChange(runtime: runtime)
  }
}
