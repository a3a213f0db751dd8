extension Key: CustomReflectable {
  /// No children, so `dump(key)` and debuggers' Mirror-based views do not show the bytes.
  public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
