import SWGCore

extension ConfigFile {
  /// Zeroes the private key and every preshared key the file set (see `DeviceChange.wipeKeys`).
  public mutating func wipeKeys() {
    privateKey?.wipe()
    for i in peers.indices where peers[i].presharedKey != nil { peers[i].presharedKey?.wipe() }
  }
}
