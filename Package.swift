// swift-tools-version:6.0
import PackageDescription

// No package dependencies: X25519 comes from libsodium and netlink from libmnl, both
// Debian system libraries. That keeps clean builds short and process start-up light
// (see ../shared/reference/swift-notes.md). wg's grammar is parsed by hand, as wg does.
let package = Package(
  name: "swg",
  products: [
    .executable(name: "swg", targets: ["swg"]),
    .executable(name: "swg-quick", targets: ["swg-quick"]),
  ],
  targets: [
    // C system libraries.
    .systemLibrary(name: "CMnl", pkgConfig: "libmnl", providers: [.apt(["libmnl-dev"])]),
    .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),

    // Model: keys, addresses, endpoints, devices and change sets. Value types, no sockets.
    .target(name: "SWGCore", dependencies: ["CSodium"]),
    // Text codecs: wg(8) config files, wg-quick INI, `wg set` words, showconf output.
    .target(name: "SWGConfig", dependencies: ["SWGCore"]),
    // Netlink: typed attribute encoder/decoder, messages, libmnl socket. Knows nothing of WireGuard.
    .target(name: "Netlink", dependencies: ["CMnl"]),
    // The kernel backend: the `wireguard` generic netlink family on top of Netlink.
    .target(name: "SWGKernel", dependencies: ["SWGCore", "Netlink"]),
    // The userspace backend: the UAPI text protocol over /var/run/wireguard/NAME.sock.
    .target(name: "SWGUAPI", dependencies: ["SWGCore"]),
    // swg's subcommands: argv words in, text out.
    .target(name: "SWGCLI", dependencies: ["SWGCore", "SWGConfig", "SWGKernel", "SWGUAPI"]),
    // swg-quick: wg-quick's verbs over rtnetlink.
    .target(name: "SWGQuick", dependencies: ["SWGCore", "SWGConfig", "Netlink", "SWGKernel", "SWGUAPI", "SWGCLI"]),

    .executableTarget(name: "swg", dependencies: ["SWGCLI"]),
    .executableTarget(name: "swg-quick", dependencies: ["SWGQuick"]),

    // Helpers shared by test targets (not shipped).
    .target(name: "SWGTestSupport", dependencies: ["SWGCore"], path: "Tests/SWGTestSupport"),

    .testTarget(name: "SWGCoreTests", dependencies: ["SWGCore", "SWGTestSupport"]),
    .testTarget(name: "SWGConfigTests", dependencies: ["SWGConfig", "SWGTestSupport"]),
    .testTarget(name: "NetlinkTests", dependencies: ["Netlink"]),
    .testTarget(name: "SWGKernelTests", dependencies: ["SWGKernel", "Netlink", "SWGTestSupport"]),
    .testTarget(name: "SWGUAPITests", dependencies: ["SWGUAPI", "SWGTestSupport"]),
    .testTarget(name: "SWGCLITests", dependencies: ["SWGCLI", "SWGTestSupport"]),
    .testTarget(name: "SWGQuickTests", dependencies: ["SWGQuick", "SWGTestSupport"]),
    .testTarget(name: "BadInputTests", dependencies: ["SWGCore", "SWGConfig", "SWGUAPI", "Netlink", "SWGKernel"]),
  ],
  swiftLanguageModes: [.v6]
)
