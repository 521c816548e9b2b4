import Foundation
import Testing

/// The peer corpora beside the package (`../shared/peer-data`) or where `LENS_GPT_PEER_DATA`
/// says. Tests that need them skip with a message naming the path when they are absent.
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
        Comment(rawValue: "SKIPPED: peer corpus \(root.appendingPathComponent(relative).path) not found; set LENS_GPT_PEER_DATA")
    }

    static func bytes(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: root.appendingPathComponent(relative)))
    }
}
