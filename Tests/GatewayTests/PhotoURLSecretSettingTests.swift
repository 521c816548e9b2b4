import Foundation
import Glibc
import TestSupport
import Testing

/// The photo-URL key is a secret: read from a file or the environment, refused at startup when
/// it is too short to resist guessing or cannot be read, and never echoed in the refusal.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: ServeProcess.binary)))
struct PhotoURLSecretSettingTests {
    /// `lens-gpt serve` with `environment` added; its exit status and standard error once it
    /// has stopped (killed, and failing the test, if it is still running after 60 s).
    func serve(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, err: String) {
        let directory = NSTemporaryDirectory() + "lens-gpt-secret-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ServeProcess.binary)
        process.arguments = ["serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", directory, "--web-dir", directory, "--no-browser"]
            + arguments
        process.environment = ["PATH": "/nonexistent", "HOME": directory].merging(environment) { $1 }
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stopped = waitUntil(timeout: 60) { !process.isRunning }
        if !stopped { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        #expect(stopped, "serve started with a bad photo URL secret")
        return (process.terminationStatus, String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }

    @Test func aShortOrUnreadableKeyIsRefusedWithoutShowingIt() throws {
        let file = NSTemporaryDirectory() + "lens-gpt-secret-" + UUID().uuidString
        try Data("tooShort-2x9\n".utf8).write(to: URL(fileURLWithPath: file))
        defer { unlink(file) }
        let fromFile = try serve(["--photo-url-secret-file", file])
        #expect(fromFile.status != 0)
        #expect(fromFile.err.contains("at least 16 characters"), "\(fromFile.err)")
        #expect(!fromFile.err.contains("tooShort-2x9"))

        let fromEnvironment = try serve([], environment: ["LENS_GPT_PHOTO_URL_SECRET": "tooShort-2x9"])
        #expect(fromEnvironment.status != 0)
        #expect(fromEnvironment.err.contains("at least 16 characters"), "\(fromEnvironment.err)")
        #expect(!fromEnvironment.err.contains("tooShort-2x9"))

        let missing = try serve([], environment: ["LENS_GPT_PHOTO_URL_SECRET_FILE": file + ".missing"])
        #expect(missing.status != 0)
        #expect(missing.err.contains("cannot read"), "\(missing.err)")
    }
}
