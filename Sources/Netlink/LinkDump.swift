// The rtnetlink link dump (RTM_GETLINK): every interface's index, name and link kind.

/// Link attributes (`linux/if_link.h` IFLA_*) this dump reads.
public enum LinkSet: AttributeSet {}
/// IFLA_INFO_* attributes inside IFLA_LINKINFO.
public enum LinkInfoSet: AttributeSet {}

extension Attribute where Set == LinkSet, Value == String {
  /// `IFLA_IFNAME`.
  public static var interfaceName: Self { Self(3) }
}

extension NestedAttribute where Set == LinkSet, Inner == LinkInfoSet {
  /// `IFLA_LINKINFO`.
  public static var linkInfo: Self { Self(18) }
}

extension Attribute where Set == LinkInfoSet, Value == String {
  /// `IFLA_INFO_KIND`, such as "wireguard" or "dummy".
  public static var kind: Self { Self(1) }
}

/// One interface as RTM_NEWLINK describes it.
public struct LinkSummary: Sendable, Equatable {
  public var index: Int32
  public var name: String
  /// The link kind; nil for links without one (lo, physical devices).
  public var kind: String?

  public init(index: Int32, name: String, kind: String? = nil) {
    self.index = index
    self.name = name
    self.kind = kind
  }
}

/// RTM_GETLINK dump request and RTM_NEWLINK reply decoding.
public enum LinkDump {
  /// `RTM_NEWLINK` and `RTM_GETLINK`.
  public static let newLink: UInt16 = 16
  public static let getLink: UInt16 = 18

  /// A dump of all links (family AF_UNSPEC).
  public static func request() -> NetlinkMessage {
    var m = MessageBuilder<LinkSet>(
      type: getLink, flags: [.request, .ack, .dump], familyHeader: InterfaceInfoHeader().bytes)
    return m.finish()
  }

  /// The link in an RTM_NEWLINK message; nil for other message types.
  public static func link(in reply: NetlinkReply) throws(NetlinkError) -> LinkSummary? {
    guard reply.type == newLink else { return nil }
    let header = try InterfaceInfoHeader(payload: reply.payload)
    var link = LinkSummary(index: header.index, name: "")
    try reply.withAttributes(after: InterfaceInfoHeader.size, as: LinkSet.self) {
      (attributes) throws(NetlinkError) in
      while let a = try attributes.next() {
        switch a {
        case .interfaceName:
          link.name = try a.value(.interfaceName)
        case .linkInfo:
          var info = a.nested(.linkInfo)
          while let i = try info.next() {
            if case .kind = i { link.kind = try i.value(.kind) }
          }
        default:
          break
        }
      }
    }
    return link
  }

  /// All links, in the kernel's order. When the dump was interrupted (links changed while
  /// it ran), returns what was read, as wg does.
  public static func links(on connection: NetlinkConnection) throws(NetlinkError) -> [LinkSummary] {
    var links: [LinkSummary] = []
    do {
      try connection.request(request()) { (reply) throws(NetlinkError) in
        if let link = try link(in: reply) { links.append(link) }
      }
    } catch .dumpInterrupted {
      return links
    }
    return links
  }
}
