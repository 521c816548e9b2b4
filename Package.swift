// swift-tools-version:6.0
import PackageDescription

// The DemoWorld's page templates and scripts, compiled into the binary like the Lens profile.
enum DemoWorldAssets {
    static let embedded: [Resource] = ["lens-start.html", "lens-results.html", "lens-consent.html", "lens-sorry.html", "lens-page.js"]
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
        // The one registry of secrets, scrubbed wherever text leaves the process; below every layer that emits text.
        .target(name: "Secrets", dependencies: ["JSON"]),
        // TLS is a byte transform under EventLoop's streams: it implements EventLoop's
        // `StreamTransform`, so EventLoop knows nothing of TLS.
        .target(name: "EventLoop", dependencies: ["CEpoll"]),
        .target(name: "TLS", dependencies: ["COpenSSL", "EventLoop"]),
        .target(name: "HTTP", dependencies: ["EventLoop", "JSON"]),
        .target(name: "Imaging"),
        .target(name: "Extraction", dependencies: ["JSON", "CLibXML2", "CZlib"]),
        .target(name: "PhotoReading", dependencies: ["JSON", "CZBar", "CZXingShim", "CLeptonica", "CTesseract", "CPNG", "CWebP", "CJpeg"]),
        .target(name: "Pipeline", dependencies: ["JSON", "Secrets", "CSQLite", "CHiredis"]),
        // CEpoll: accept4 for close-on-exec sockets. Its module then owns <sys/socket.h>, so the
        // files that use SOCK_* constants import it too.
        .target(name: "Outbound", dependencies: ["CCurl", "CEpoll", "JSON", "Secrets"], exclude: ["README.md"]),
        .target(name: "DemoWorld", dependencies: ["HTTP", "EventLoop", "JSON", "Outbound"], resources: DemoWorldAssets.embedded),
        // For test targets only: the OpenAI-compatible server that checks request shapes and plays faults.
        .target(name: "LLMTestSupport", dependencies: ["DemoWorld", "HTTP", "JSON"]),
        // The default Lens and search profiles are JSON files compiled into the binary (no bundle to ship beside them).
        .target(name: "Producers", dependencies: ["Pipeline", "Imaging", "JSON", "Secrets", "Outbound", "Extraction", "PhotoReading", "CPSL"],
                resources: ["google-lens.json", "ebay.json", "ebay-sold.json", "kleinanzeigen.json", "mercari.json", "depop.json", "vinted.json",
                            "duckduckgo.json", "duckduckgo-lite.json", "bing.json", "brave.json", "startpage.json"].map { .embedInCode("Resources/\($0)") }),
        .target(name: "Gateway", dependencies: ["EventLoop", "HTTP", "Pipeline", "Imaging", "JSON", "Secrets", "TLS", "CEpoll"]),
        .target(name: "LensGPT", dependencies: [
            "Gateway", "HTTP", "Pipeline", "Producers", "JSON", "Secrets", "CEpoll", "TLS", "Extraction", "Outbound", "DemoWorld", "Imaging", "PhotoReading",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "lens-gpt", dependencies: ["LensGPT"]),

        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "SecretsTests", dependencies: ["Secrets", "JSON"]),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP"]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging"]),
        .testTarget(name: "PhotoReadingTests", dependencies: ["PhotoReading", "JSON", "CLeptonica", "CPNG", "CWebP", "CJpeg"]),
        .testTarget(name: "TLSTests", dependencies: ["TLS", "COpenSSL"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "JSON"]),
        .testTarget(name: "ProducersTests", dependencies: ["Producers", "Pipeline", "JSON", "Extraction"]),
        .testTarget(name: "GatewayTests", dependencies: ["Gateway", "HTTP", "Secrets", "EventLoop", "Pipeline", "Producers", "JSON", "TLS", "COpenSSL"]),
        .testTarget(name: "ExtractionTests", dependencies: ["Extraction", "JSON"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "OutboundTests", dependencies: ["Outbound", "HTTP", "Secrets", "JSON", "DemoWorld", "LLMTestSupport"]),
        .testTarget(name: "ShopsTests", dependencies: ["Producers", "DemoWorld", "Outbound", "Extraction", "Pipeline", "HTTP", "JSON", "PhotoReading"]),
        .testTarget(name: "EndToEndTests", dependencies: ["LensGPT", "Gateway", "DemoWorld", "LLMTestSupport", "Outbound", "Producers", "Pipeline", "HTTP", "JSON", "PhotoReading",
                                                         .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .testTarget(name: "LensTests", dependencies: ["Producers", "Outbound", "DemoWorld", "Gateway", "HTTP", "Pipeline", "JSON"]),
        // The shipped profiles on real saved pages (../shared/peer-data/real-pages) in real headless Chromium.
        .testTarget(name: "RealPagesTests", dependencies: ["Producers", "Outbound", "HTTP", "Extraction", "JSON", "Pipeline"]),
        .testTarget(name: "VisualSearchTests", dependencies: ["LensGPT", "Gateway", "Secrets", "DemoWorld", "LLMTestSupport", "Outbound", "Producers", "Pipeline", "HTTP", "JSON",
                                                             .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // Drives the built `lens-gpt serve --demo` (a child process) with headless Chromium.
        .testTarget(name: "WebPageTests", dependencies: ["DemoWorld", "Outbound", "JSON"]),
    ],
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)
