// swift-tools-version:5.3
// libFuzzer targets for swg's parsers and decoders. Build and run them with
// scripts/fuzz.sh (it passes -sanitize=fuzzer,address and -parse-as-library).
//
// Each Fuzz* target is a plain `.target` whose main.swift exports LLVMFuzzerTestOneInput:
// with tools 5.3 such a target still builds an executable, while an `.executableTarget`
// in a newer manifest fails to link under -parse-as-library (SwiftPM renames `main`).
// swg's modules come in through symlinks into ../Sources, because the main package
// exports no library products for a dependency by path to use. The checks themselves
// (the *Properties modules) are shared with the BadInputTests test target, which replays
// FailCases/ and Corpus/ through them under `swift test`.
import PackageDescription

// swg is written in the Swift 6 language mode (typed throws infer through rethrows there).
let swift6: [SwiftSetting] = [.unsafeFlags(["-swift-version", "6"])]

let package = Package(
  name: "FuzzTesting",
  targets: [
    .systemLibrary(name: "CMnl", pkgConfig: "libmnl"),
    .systemLibrary(name: "CSodium", pkgConfig: "libsodium"),
    .target(name: "SWGCore", dependencies: ["CSodium"], swiftSettings: swift6),
    .target(name: "SWGConfig", dependencies: ["SWGCore"], swiftSettings: swift6),
    .target(name: "Netlink", dependencies: ["CMnl"], swiftSettings: swift6),
    .target(name: "SWGKernel", dependencies: ["SWGCore", "Netlink"], swiftSettings: swift6),
    .target(name: "SWGUAPI", dependencies: ["SWGCore"], swiftSettings: swift6),
    .target(name: "FuzzSupport", swiftSettings: swift6),

    // Properties, shared with Tests/BadInputTests/Properties/*; one module per parser so
    // that a fuzz target builds with only the modules it fuzzes.
    .target(name: "UAPIProperties", dependencies: ["SWGUAPI"], swiftSettings: swift6),
    .target(name: "ConfigProperties", dependencies: ["SWGConfig"], swiftSettings: swift6),
    .target(name: "NetlinkProperties", dependencies: ["Netlink", "SWGKernel"], swiftSettings: swift6),

    .target(name: "FuzzUAPIGet", dependencies: ["FuzzSupport", "UAPIProperties"], swiftSettings: swift6),
    .target(name: "FuzzConfig", dependencies: ["FuzzSupport", "ConfigProperties"], swiftSettings: swift6),
    .target(name: "FuzzQuickConfig", dependencies: ["FuzzSupport", "ConfigProperties"], swiftSettings: swift6),
    .target(name: "FuzzSetWords", dependencies: ["FuzzSupport", "ConfigProperties"], swiftSettings: swift6),
    .target(name: "FuzzNetlinkDump", dependencies: ["FuzzSupport", "NetlinkProperties"], swiftSettings: swift6),
  ]
)
