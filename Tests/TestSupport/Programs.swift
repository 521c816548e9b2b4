import Foundation

/// The built `lens-gpt` beside the test bundle (`swift build --build-tests` builds it), or
/// `LENS_GPT_TEST_BINARY` (to show an older build failing the same test); nil when neither is there.
package let lensGPTBinary: String? = {
    if let named = ProcessInfo.processInfo.environment["LENS_GPT_TEST_BINARY"], !named.isEmpty { return named }
    guard let testBinary = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
    let candidate = URL(fileURLWithPath: testBinary).deletingLastPathComponent().appendingPathComponent("lens-gpt").path
    return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
}()

/// What a program printed and how it ended.
package typealias ProgramOutput = (status: Int32, out: String, err: String)

/// Runs a program to its end. `environment`: the whole environment (nil: this process's);
/// `stdin`: written from another thread (a large input must not wait on a full stdout pipe),
/// then closed.
package func runProgram(_ path: String, _ arguments: [String], environment: [String: String]? = nil,
                        stdin: String? = nil) throws -> ProgramOutput
{
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    if let environment { process.environment = environment }
    let input = Pipe(), out = Pipe(), err = Pipe()
    process.standardInput = input
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let writer = input.fileHandleForWriting
    Thread.detachNewThread {
        if let stdin { writer.write(Data(stdin.utf8)) }
        try? writer.close()
    }
    // stderr is read after stdout: the commands print at most a line or two there.
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
}

/// Runs the built `lens-gpt` with this process's environment less `unset`, plus `set`.
package func runLensGPT(_ arguments: [String], unset: [String] = [], set: [String: String] = [:],
                        stdin: String? = nil) throws -> ProgramOutput
{
    guard let lensGPTBinary else { throw TestFailure("lens-gpt is not built beside the tests (swift build --build-tests)") }
    var environment = ProcessInfo.processInfo.environment
    for name in unset { environment[name] = nil }
    environment.merge(set) { _, new in new }
    return try runProgram(lensGPTBinary, arguments, environment: environment, stdin: stdin)
}
