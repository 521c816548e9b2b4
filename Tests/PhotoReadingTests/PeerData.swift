import Foundation
import JSON
import Testing

/// The peer corpora of photos others made (`barcodes/`, `ocr/`): `$LENS_GPT_PEER_DATA`, else
/// `<package root>/../shared/peer-data`. Tests that need one say SKIPPED when it is absent.
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
        let present = FileManager.default.fileExists(atPath: root.appendingPathComponent(relative).path)
        if !present { print("SKIPPED: peer corpus \(root.appendingPathComponent(relative).path) not found; set LENS_GPT_PEER_DATA") }
        return present
    }

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static func bytes(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: root.appendingPathComponent(relative)))
    }

    static func manifest(_ folder: String) throws -> JSONValue {
        try JSONParser.parse(String(decoding: try bytes(folder + "/MANIFEST.json"), as: UTF8.self))
    }
}

/// Runs a program to its end: exit status and standard output.
func runProgram(_ path: String, _ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read to the end before waiting; stderr is small (one line) so it cannot fill its pipe first.
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
}
