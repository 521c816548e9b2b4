// swift-tools-version:6.0
import PackageDescription

// Benchmark peer: FlyingFox, the other Swift server without SwiftNIO. Its own package so the
// main build never compiles it; built by bench/run.
let package = Package(
    name: "peer-flyingfox",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/swhitty/FlyingFox", exact: "0.27.1"),
    ],
    targets: [
        .executableTarget(name: "peer-flyingfox", dependencies: [
            .product(name: "FlyingFox", package: "FlyingFox"),
            .product(name: "FlyingSocks", package: "FlyingFox"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
