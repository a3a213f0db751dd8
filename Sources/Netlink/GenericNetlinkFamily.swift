// Generic netlink family resolution: CTRL_CMD_GETFAMILY to the controller (GENL_ID_CTRL).
import Glibc

/// The `nlctrl` family's attributes (`linux/genetlink.h` CTRL_ATTR_*).
public enum ControlSet: AttributeSet {}

extension Attribute where Set == ControlSet, Value == UInt16 {
  /// `CTRL_ATTR_FAMILY_ID`.
  public static var familyID: Self { Self(1) }
}

extension Attribute where Set == ControlSet, Value == String {
  /// `CTRL_ATTR_FAMILY_NAME`.
  public static var familyName: Self { Self(2) }
}

extension Attribute where Set == ControlSet, Value == UInt32 {
  /// `CTRL_ATTR_VERSION`.
  public static var version: Self { Self(3) }
}

/// Generic netlink family lookup, as bytes and over a connection.
public enum GenericNetlink {
  /// `GENL_ID_CTRL`: the message type of the controller family.
  public static let controllerID: UInt16 = 16
  /// `CTRL_CMD_GETFAMILY`.
  public static let getFamilyCommand: UInt8 = 3

  /// The CTRL_CMD_GETFAMILY request for `name`.
  public static func familyRequest(name: String) -> NetlinkMessage {
    var m = MessageBuilder<ControlSet>(
      type: controllerID, flags: [.request, .ack],
      familyHeader: GenericHeader(command: getFamilyCommand).bytes)
    m.attributes.put(.familyName, name)
    return m.finish()
  }

  /// The family id in a CTRL_CMD_NEWFAMILY reply; nil for a message that has none.
  public static func familyID(in reply: NetlinkReply) throws(NetlinkError) -> UInt16? {
    try reply.withAttributes(after: GenericHeader.size, as: ControlSet.self) {
      (attributes) throws(NetlinkError) -> UInt16? in
      var id: UInt16?
      while let a = try attributes.next() {
        if case .familyID = a { id = try a.value(.familyID) }
      }
      return id
    }
  }

  /// Resolves a family's message type. A family the kernel does not know (ENOENT, and
  /// no module to load) is `EPROTONOSUPPORT`, as wg reports it.
  public static func resolve(_ name: String, on connection: NetlinkConnection) throws(NetlinkError)
    -> UInt16
  {
    var id: UInt16?
    do {
      try connection.request(familyRequest(name: name)) { (reply) throws(NetlinkError) in
        if let found = try familyID(in: reply) { id = found }
      }
    } catch .kernel(errno: ENOENT) {
      throw .kernel(errno: EPROTONOSUPPORT)
    }
    guard let id else { throw .malformed("CTRL_CMD_GETFAMILY reply without a family id") }
    return id
  }
}
