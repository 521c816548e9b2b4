import Foundation

/// The peer corpora (price-parser cases, product-extraction-benchmark, extruct samples).
/// `LENS_GPT_PEER_DATA` names the folder; by default it sits beside the package root.
/// Tests that need it are disabled with a message naming the path when it is absent.
enum PeerData {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let root: URL = {
        if let path = ProcessInfo.processInfo.environment["LENS_GPT_PEER_DATA"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return packageRoot.appendingPathComponent("../shared/peer-data").standardizedFileURL
    }()

    static func has(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent(relative).path)
    }

    static func missing(_ relative: String) -> Comment {
        "SKIPPED: peer corpus \(root.appendingPathComponent(relative).path) not found; set LENS_GPT_PEER_DATA"
    }

    static func bytes(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: root.appendingPathComponent(relative)))
    }

    static func fixture(_ name: String) throws -> [UInt8] {
        let url = packageRoot.appendingPathComponent("Tests/ExtractionTests/Fixtures").appendingPathComponent(name)
        return [UInt8](try Data(contentsOf: url))
    }
}

/// Decimal strings compared by value: "12.50" == "12.5" == "012.50".
func sameDecimal(_ a: String?, _ b: String?) -> Bool {
    func canonical(_ s: String?) -> String? {
        guard var s else { return nil }
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        let trimmed = s.drop(while: { $0 == "0" })
        return trimmed.isEmpty || trimmed.first == "." ? "0" + trimmed : String(trimmed)
    }
    return canonical(a) == canonical(b)
}

import Testing
