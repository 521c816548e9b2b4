import Foundation
import JSON
import Testing

/// The peer corpora and saved pages others made (`real-pages/`, `barcodes/`, `ocr/`, the parser
/// corpora): `$LENS_GPT_PEER_DATA`, else `<package root>/../shared/peer-data`. Read at test time;
/// nothing from them is copied into the project. Tests that need one skip with a message naming
/// the path when it is absent.
package enum PeerData {
    /// The package's root folder (this file is in `Tests/TestSupport`).
    package static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    package static let root: URL = {
        if let path = ProcessInfo.processInfo.environment["LENS_GPT_PEER_DATA"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return packageRoot.appendingPathComponent("../shared/peer-data").standardizedFileURL
    }()

    package static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    package static func has(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: path(relative))
    }

    /// `has`, saying SKIPPED with the path when it is absent (for tests that return early).
    package static func available(_ relative: String) -> Bool {
        let present = has(relative)
        if !present { print(missing(relative)) }
        return present
    }

    package static func missing(_ relative: String) -> Comment {
        Comment(rawValue: "SKIPPED: peer corpus \(path(relative)) not found; set LENS_GPT_PEER_DATA")
    }

    package static func bytes(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: root.appendingPathComponent(relative)))
    }

    /// A folder's `MANIFEST.json`.
    package static func manifest(_ folder: String) throws -> JSONValue {
        try JSONParser.parse(String(decoding: try bytes(folder + "/MANIFEST.json"), as: UTF8.self))
    }

    /// A file the project keeps under `Tests/`, e.g. `ExtractionTests/Fixtures/x.html`.
    package static func testFile(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: packageRoot.appendingPathComponent("Tests").appendingPathComponent(relative)))
    }
}
