// swift-tools-version:6.0
import PackageDescription

// The DemoWorld's page templates, scripts and catalog, compiled into the binary like the Lens profile.
enum DemoWorldAssets {
    static let embedded: [Resource] = ["lens-start.html", "lens-results.html", "lens-consent.html", "lens-sorry.html", "lens-page.js",
                                       "demo-catalog.json"]
        .map { .embedInCode("Resources/\($0)") }
}

// One target per layer; see README "Layout". C libraries come in through small
// system-library module maps with header-only shims; the one C++ library (ZXing-C++) through
// CZXingShim, a C++ file behind a plain C header.
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
        .systemLibrary(name: "CEpoll", path: "Sources/CEpoll"),
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "openssl",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0",
                       providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CPSL", path: "Sources/CPSL", pkgConfig: "libpsl", providers: [.apt(["libpsl-dev"])]),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        // Reading the photo itself: barcodes (ZBar), printed text (Tesseract), decoding (Leptonica).
        .systemLibrary(name: "CZBar", path: "Sources/CZBar", pkgConfig: "zbar", providers: [.apt(["libzbar-dev"])]),
        // The second, independent barcode decoder (Debian: libzxing-dev), its C++ API behind one C function.
        .target(name: "CZXingShim", linkerSettings: [.linkedLibrary("ZXing")]),
        .systemLibrary(name: "CLeptonica", path: "Sources/CLeptonica", pkgConfig: "lept", providers: [.apt(["libleptonica-dev"])]),
        // Decoding large photos at the size a reader needs: PNG by rows, WebP scaled, JPEG's header and CMYK.
        .systemLibrary(name: "CPNG", path: "Sources/CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CWebP", path: "Sources/CWebP", pkgConfig: "libwebp", providers: [.apt(["libwebp-dev"])]),
        .systemLibrary(name: "CJpeg", path: "Sources/CJpeg", pkgConfig: "libjpeg", providers: [.apt(["libjpeg-dev"])]),
        .systemLibrary(name: "CTesseract", path: "Sources/CTesseract", pkgConfig: "tesseract",
                       providers: [.apt(["libtesseract-dev", "tesseract-ocr-eng"])]),
        // The Redis client Redis itself ships (Debian: libhiredis-dev), for the shared result store.
        // No pkgConfig: hiredis's .pc adds -D_FILE_OFFSET_BITS=64, a flag SwiftPM refuses with a warning;
        // the header is found under /usr/include as <hiredis/hiredis.h> and the module map links the library.
        .systemLibrary(name: "CHiredis", path: "Sources/CHiredis", providers: [.apt(["libhiredis-dev"])]),

        .target(name: "JSON"),
        // The few system helpers every layer shares (bounded file read, clocks, threads, signal mask,
        // CR/LF filter, SHA-256/HMAC): one copy each, below every layer.
        .target(name: "SystemSupport", dependencies: ["COpenSSL"]),
        // The one registry of secrets, scrubbed wherever text leaves the process; below every layer that emits text.
        .target(name: "Secrets", dependencies: ["JSON"]),
        // TLS is a byte transform under EventLoop's streams: it implements EventLoop's
        // `StreamTransform`, so EventLoop knows nothing of TLS.
        .target(name: "EventLoop", dependencies: ["CEpoll", "SystemSupport"]),
        .target(name: "TLS", dependencies: ["COpenSSL", "EventLoop", "SystemSupport"]),
        .target(name: "HTTP", dependencies: ["EventLoop", "JSON", "SystemSupport"]),
        .target(name: "Imaging"),
        .target(name: "Extraction", dependencies: ["JSON", "CLibXML2", "CZlib"], resources: [.embedInCode("Resources/condition-vocabulary.json"), .embedInCode("Resources/identifier-labels.json")]),
        .target(name: "PhotoReading", dependencies: ["JSON", "SystemSupport", "CZBar", "CZXingShim", "CLeptonica", "CTesseract", "CPNG", "CWebP", "CJpeg"]),
        .target(name: "Pipeline", dependencies: ["JSON", "Secrets", "SystemSupport", "CSQLite", "CHiredis"]),
        // CEpoll: accept4 for close-on-exec sockets. Its module then owns <sys/socket.h>, so the
        // files that use SOCK_* constants import it too.
        .target(name: "Outbound", dependencies: ["CCurl", "CEpoll", "JSON", "Secrets", "SystemSupport"], exclude: ["README.md"]),
        .target(name: "DemoWorld", dependencies: ["HTTP", "EventLoop", "JSON", "Outbound", "SystemSupport"], resources: DemoWorldAssets.embedded),
        // The default Lens profile and every file in Resources/profiles (search sites, marketplaces) are compiled
        // into the binary (no bundle to ship beside them); the ProfileIndex plugin lists the folder for the code.
        .plugin(name: "ProfileIndex", capability: .buildTool()),
        .target(name: "Producers", dependencies: ["Pipeline", "Imaging", "JSON", "Secrets", "Outbound", "Extraction", "PhotoReading", "SystemSupport", "CPSL"],
                resources: [.embedInCode("Resources/google-lens.json"), .embedInCode("Resources/profiles"), .embedInCode("Resources/apis"),
                            .embedInCode("Resources/resellers.json"), .embedInCode("Resources/brands.json"), .embedInCode("Resources/title-sites.json")], plugins: ["ProfileIndex"]),
        .target(name: "Gateway", dependencies: ["EventLoop", "HTTP", "Pipeline", "Imaging", "JSON", "Secrets", "SystemSupport", "CEpoll"]),
        .target(name: "LensGPT", dependencies: [
            "Gateway", "HTTP", "Pipeline", "Producers", "JSON", "Secrets", "TLS", "Extraction", "Outbound", "DemoWorld", "Imaging", "PhotoReading", "SystemSupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "lens-gpt", dependencies: ["LensGPT"]),

        // For test targets only: the helpers they share (peer corpora, the built lens-gpt and other child processes,
        // polling with a deadline, loopback servers and sockets, the demo pipeline, the OpenAI-compatible server that
        // checks request shapes and plays faults). Never linked into lens-gpt.
        .target(name: "TestSupport", dependencies: ["LensGPT", "Gateway", "DemoWorld", "Outbound", "Pipeline", "HTTP", "JSON",
                                                    .product(name: "ArgumentParser", package: "swift-argument-parser")],
                path: "Tests/TestSupport"),

        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "SystemSupportTests", dependencies: ["SystemSupport"]),
        .testTarget(name: "SecretsTests", dependencies: ["Secrets", "JSON"]),
        .testTarget(name: "HTTPTests", dependencies: ["TestSupport", "HTTP", "EventLoop", "SystemSupport"]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging"]),
        .testTarget(name: "PhotoReadingTests", dependencies: ["TestSupport", "PhotoReading", "JSON", "CLeptonica", "CPNG", "CWebP", "CJpeg"]),
        .testTarget(name: "TLSTests", dependencies: ["TestSupport", "TLS", "COpenSSL"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "JSON"]),
        .testTarget(name: "ProducersTests", dependencies: ["TestSupport", "Producers", "Pipeline", "JSON", "Extraction"]),
        .testTarget(name: "GatewayTests", dependencies: ["TestSupport", "Gateway", "HTTP", "Secrets", "EventLoop", "Pipeline", "Producers", "JSON", "TLS", "COpenSSL"]),
        .testTarget(name: "ExtractionTests", dependencies: ["TestSupport", "Extraction", "JSON"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "OutboundTests", dependencies: ["TestSupport", "Outbound", "HTTP", "Secrets", "JSON", "DemoWorld"]),
        .testTarget(name: "ShopsTests", dependencies: ["TestSupport", "Producers", "DemoWorld", "Outbound", "Extraction", "Pipeline", "HTTP", "JSON", "PhotoReading"]),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport", "LensGPT", "Gateway", "DemoWorld", "Outbound", "Producers", "Pipeline", "HTTP", "JSON", "PhotoReading",
                                                         .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .testTarget(name: "LensTests", dependencies: ["TestSupport", "Producers", "Outbound", "DemoWorld", "Gateway", "HTTP", "Pipeline", "JSON"]),
        // The shipped profiles on real saved pages (../shared/peer-data/real-pages) in real headless Chromium.
        .testTarget(name: "RealPagesTests", dependencies: ["TestSupport", "Producers", "Outbound", "HTTP", "Extraction", "JSON", "Pipeline"]),
        .testTarget(name: "VisualSearchTests", dependencies: ["TestSupport", "LensGPT", "Gateway", "Secrets", "DemoWorld", "Outbound", "Producers", "Pipeline", "HTTP", "JSON",
                                                             .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // Drives the built `lens-gpt serve --demo` (a child process) with headless Chromium.
        .testTarget(name: "WebPageTests", dependencies: ["TestSupport", "DemoWorld", "Outbound", "JSON"]),
    ],
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)
