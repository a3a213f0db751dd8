/// Sends and receives netlink datagrams. The real one is `NetlinkSocket`; tests feed
/// recorded or hand-built replies through their own.
public protocol NetlinkTransport: AnyObject {
  /// The port id the kernel knows this socket by; replies carry it.
  var portID: UInt32 { get }
  /// Sends one datagram (one or more whole messages).
  func send(_ bytes: [UInt8]) throws(NetlinkError)
  /// Receives one datagram.
  func receive() throws(NetlinkError) -> [UInt8]
}
