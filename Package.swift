// swift-tools-version:6.0
import PackageDescription

// One target per layer; see README "Layout". C libraries come in through small
// system-library module maps with header-only shims (no C sources to compile).
let package = Package(
    name: "lens-gpt",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "lens-gpt", targets: ["lens-gpt"]),

    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "openssl",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),

        .target(name: "JSON"),
        .target(name: "HTTP", dependencies: ["JSON"]),
        .target(name: "TLS", dependencies: ["COpenSSL"]),
        .target(name: "LensGPT", dependencies: [
            "HTTP", "JSON", "TLS",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "lens-gpt", dependencies: ["LensGPT"]),

        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "TLSTests", dependencies: ["TLS", "COpenSSL"]),
    ],
    swiftLanguageModes: [.v6]
)
