// swift-tools-version:6.0
import PackageDescription

// Benchmark-only build of lens-gpt: the project's own sources (linked into Sources/ by
// `link-sources`) with one extra pipeline stage, `tick` (Overrides/), that keeps a result
// running so live SSE streams can be held and fan-out timed. Until the release binary has a
// flag for that (proposed: --tick-stage-ms), this is how bench/run measures lens-gpt's streams.
// Mirrors the root Package.swift's targets; never part of the main build.
let package = Package(
    name: "lens-gpt-ticks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(name: "CEpoll", path: "Sources/CEpoll"),
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "openssl"),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3"),
        .target(name: "JSON"),
        .target(name: "TLS", dependencies: ["COpenSSL"]),
        .target(name: "EventLoop", dependencies: ["CEpoll", "TLS"]),
        .target(name: "HTTP", dependencies: ["EventLoop", "JSON"]),
        .target(name: "Imaging"),
        .target(name: "Pipeline", dependencies: ["JSON", "CSQLite"]),
        .target(name: "Producers", dependencies: ["Pipeline", "Imaging", "JSON"]),
        .target(name: "Gateway", dependencies: ["EventLoop", "HTTP", "Pipeline", "Imaging", "JSON", "COpenSSL", "TLS"]),
        .target(name: "LensGPT", dependencies: [
            "Gateway", "HTTP", "Pipeline", "Producers", "JSON", "CEpoll", "TLS",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "lens-gpt", dependencies: ["LensGPT"]),
    ],
    swiftLanguageModes: [.v6]
)
