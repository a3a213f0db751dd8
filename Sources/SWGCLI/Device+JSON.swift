import SWGCore

/// Options for `swg show … --json`.
public struct JSONOptions: Sendable {
  /// Include private and preshared keys (`--show-keys`); otherwise only public keys appear.
  public var showsKeys: Bool
  /// Current Unix time in seconds, for handshake ages.
  public var now: Int64

  public init(showsKeys: Bool = false, now: Int64) {
    self.showsKeys = showsKeys
    self.now = now
  }
}

/// Writes the `swg show --json` document. Schema version 1 (stable: fields are only ever
/// added, never renamed or removed; key order is fixed; numbers are JSON integers):
///
/// ```
/// {
///   "schemaVersion": 1,
///   "interfaces": [                      // `show all`: every readable device, in wg's order
///     {
///       "name": "wg0",
///       "publicKey": "base64" | null,    // null: the device has no private key
///       "privateKey": "base64" | null,   // only with --show-keys
///       "listenPort": 51820,             // 0: not listening yet / random
///       "fwmark": 0,                     // 0: off
///       "peers": [                       // backend order (as `dump`)
///         {
///           "publicKey": "base64",
///           "hasPresharedKey": true,
///           "presharedKey": "base64" | null,   // only with --show-keys
///           "endpoint": "192.0.2.1:51820" | "[2001:db8::1]:51820" | null,
///           "allowedIPs": ["10.0.0.2/32", "fd00::2/128"],
///           "latestHandshake": null | {        // null: never
///             "unixTime": 1795516657,          // seconds since the epoch
///             "nanoseconds": 5,
///             "ageSeconds": 43                 // now - unixTime (negative if the clock went back)
///           },
///           "transfer": { "rxBytes": 5368709120, "txBytes": 1536 },
///           "persistentKeepalive": 25          // seconds; 0: off
///         }
///       ]
///     }
///   ]
/// }
/// ```
public func appendJSONDocument(_ devices: [Device], options: JSONOptions, to out: inout Output) {
  out.append("{\n  \"schemaVersion\": 1,\n  \"interfaces\": [")
  for (n, device) in devices.enumerated() {
    out.append(n == 0 ? "\n" : ",\n")
    device.appendJSON(to: &out, options: options, indent: 4)
  }
  out.append(devices.isEmpty ? "]\n}\n" : "\n  ]\n}\n")
}

extension Device {
  /// The JSON document for this device alone (`swg show IFACE --json`).
  public func jsonText(options: JSONOptions) -> String {
    var out = Output()
    appendJSONDocument([self], options: options, to: &out)
    return out.text
  }

  func appendJSON(to out: inout Output, options: JSONOptions, indent: Int) {
    let pad = String(repeating: " ", count: indent)
    out.append(pad); out.append("{\n")
    out.append(pad); out.append("  \"name\": "); out.appendJSONString(name); out.append(",\n")
    out.append(pad); out.append("  \"publicKey\": "); out.appendJSONKey(publicKey); out.append(",\n")
    if options.showsKeys {
      out.append(pad); out.append("  \"privateKey\": "); out.appendJSONKey(privateKey); out.append(",\n")
    }
    out.append(pad); out.append("  \"listenPort\": "); out.append(decimal: UInt64(listenPort)); out.append(",\n")
    out.append(pad); out.append("  \"fwmark\": "); out.append(decimal: UInt64(fwmark)); out.append(",\n")
    out.append(pad); out.append("  \"peers\": [")
    for (n, peer) in peers.enumerated() {
      out.append(n == 0 ? "\n" : ",\n")
      peer.appendJSON(to: &out, options: options, pad: pad + "    ")
      out.flushIfFull()
    }
    out.append(peers.isEmpty ? "]\n" : "\n" + pad + "  ]\n")
    out.append(pad); out.append("}")
  }
}

extension Peer {
  func appendJSON(to out: inout Output, options: JSONOptions, pad: String) {
    out.append(pad); out.append("{\n")
    out.append(pad); out.append("  \"publicKey\": "); out.appendJSONKey(publicKey); out.append(",\n")
    out.append(pad); out.append("  \"hasPresharedKey\": "); out.append(presharedKey == nil ? "false" : "true")
    out.append(",\n")
    if options.showsKeys {
      out.append(pad); out.append("  \"presharedKey\": "); out.appendJSONKey(presharedKey); out.append(",\n")
    }
    out.append(pad); out.append("  \"endpoint\": ")
    if let endpoint {
      out.append(byte: 34)
      out.append(endpoint: endpoint)
      out.append(byte: 34)
    } else {
      out.append("null")
    }
    out.append(",\n")
    out.append(pad); out.append("  \"allowedIPs\": [")
    for (n, ip) in allowedIPs.enumerated() {
      if n > 0 { out.append(", ") }
      out.append(byte: 34)
      out.append(address: ip.address)
      out.append(byte: 47)
      out.append(decimal: UInt64(ip.cidr))
      out.append(byte: 34)
    }
    out.append("],\n")
    out.append(pad); out.append("  \"latestHandshake\": ")
    if lastHandshake.isZero {
      out.append("null")
    } else {
      out.append("{ \"unixTime\": "); out.append(decimal: lastHandshake.seconds)
      out.append(", \"nanoseconds\": "); out.append(decimal: lastHandshake.nanoseconds)
      out.append(", \"ageSeconds\": ")
      out.append(decimal: options.now.subtractingReportingOverflow(lastHandshake.seconds).partialValue)
      out.append(" }")
    }
    out.append(",\n")
    out.append(pad); out.append("  \"transfer\": { \"rxBytes\": "); out.append(decimal: rxBytes)
    out.append(", \"txBytes\": "); out.append(decimal: txBytes); out.append(" },\n")
    out.append(pad); out.append("  \"persistentKeepalive\": "); out.append(decimal: UInt64(persistentKeepalive))
    out.append("\n")
    out.append(pad); out.append("}")
  }
}

extension Output {
  mutating func appendJSONKey(_ key: Key?) {
    if let key {
      append(byte: 34)
      append(key: key)
      append(byte: 34)
    } else {
      append("null")
    }
  }

  /// A JSON string literal: quotes, backslashes and control characters escaped.
  mutating func appendJSONString(_ s: String) {
    append(byte: 34)
    for b in s.utf8 {
      switch b {
      case 34: append("\\\"")
      case 92: append("\\\\")
      case 10: append("\\n")
      case 9: append("\\t")
      case 13: append("\\r")
      case 0..<32:
        append("\\u00")
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        append(byte: hex[Int(b >> 4)])
        append(byte: hex[Int(b & 15)])
      default: append(byte: b)
      }
    }
    append(byte: 34)
  }
}
