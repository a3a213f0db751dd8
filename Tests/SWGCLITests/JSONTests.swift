import SWGCore
import Testing
@testable import SWGCLI

@Suite struct JSONTests {
  let f = Fixtures.self

  @Test func documentForOneDevice() {
    let d = Device(
      name: "wg0", privateKey: f.priv, publicKey: f.zvdb, listenPort: 51820,
      peers: [
        Peer(
          publicKey: f.xtib, presharedKey: f.psk, endpoint: f.v6("2001:db8::1", 1234), persistentKeepalive: 25,
          lastHandshake: Timespec(seconds: 1000, nanoseconds: 7), rxBytes: 1, txBytes: 2,
          allowedIPs: [f.ip("10.0.0.2", 32)]),
        Peer(publicKey: f.trmv),
      ])
    #expect(
      d.jsonText(options: JSONOptions(now: 1043)) == """
        {
          "schemaVersion": 1,
          "interfaces": [
            {
              "name": "wg0",
              "publicKey": "\(f.zvdb.base64)",
              "listenPort": 51820,
              "fwmark": 0,
              "peers": [
                {
                  "publicKey": "\(f.xtib.base64)",
                  "hasPresharedKey": true,
                  "endpoint": "[2001:db8::1]:1234",
                  "allowedIPs": ["10.0.0.2/32"],
                  "latestHandshake": { "unixTime": 1000, "nanoseconds": 7, "ageSeconds": 43 },
                  "transfer": { "rxBytes": 1, "txBytes": 2 },
                  "persistentKeepalive": 25
                },
                {
                  "publicKey": "\(f.trmv.base64)",
                  "hasPresharedKey": false,
                  "endpoint": null,
                  "allowedIPs": [],
                  "latestHandshake": null,
                  "transfer": { "rxBytes": 0, "txBytes": 0 },
                  "persistentKeepalive": 0
                }
              ]
            }
          ]
        }

        """)
  }

  @Test func privateKeysOnlyWhenAsked() {
    let hidden = f.fake0.jsonText(options: JSONOptions(now: 0))
    #expect(!hidden.contains(f.priv.base64))
    #expect(!hidden.contains(f.psk.base64))
    #expect(!hidden.contains("privateKey"))
    let shown = f.fake0.jsonText(options: JSONOptions(showsKeys: true, now: 0))
    #expect(shown.contains("\"privateKey\": \"\(f.priv.base64)\""))
    #expect(shown.contains("\"presharedKey\": \"\(f.psk.base64)\""))
    #expect(shown.contains("\"presharedKey\": null"))
  }

  @Test func noDevicesAndNoKey() {
    var out = Output()
    appendJSONDocument([], options: JSONOptions(now: 0), to: &out)
    #expect(out.text == "{\n  \"schemaVersion\": 1,\n  \"interfaces\": []\n}\n")
    let d = Device(name: "a\"b\\c\u{1}")
    let text = d.jsonText(options: JSONOptions(now: 0))
    #expect(text.contains("\"name\": \"a\\\"b\\\\c\\u0001\""))
    #expect(text.contains("\"publicKey\": null"))
    #expect(text.contains("\"peers\": []"))
  }

  @Test func parsesAsJSON() throws {
    // Foundation is fine in tests: check the document is well-formed JSON.
    let text = f.fake0.jsonText(options: JSONOptions(showsKeys: true, now: Fixtures.fake0Now))
    let any = try JSONCheck.parse(text)
    #expect(any)
  }
}

import Foundation
enum JSONCheck {
  static func parse(_ text: String) throws -> Bool {
    let obj = try JSONSerialization.jsonObject(with: Data(text.utf8))
    guard let dict = obj as? [String: Any], let ifaces = dict["interfaces"] as? [[String: Any]] else { return false }
    guard let peers = ifaces.first?["peers"] as? [[String: Any]] else { return false }
    return peers.count == 3 && (dict["schemaVersion"] as? Int) == 1
  }
}
