// swift-tools-version:6.0
import PackageDescription

// Benchmark peer: what a Swift user would pick instead of lens-gpt (Hummingbird 2 on SwiftNIO).
// Its own package so the main build never compiles it; built by bench/run.
let package = Package(
    name: "peer-hummingbird",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
    ],
    targets: [
        .executableTarget(name: "peer-hummingbird", dependencies: [
            .product(name: "Hummingbird", package: "hummingbird"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
