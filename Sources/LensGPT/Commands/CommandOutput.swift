import Glibc
import JSON

/// The command line's one error contract: `{"error": {"code", "message", "retryable", ...}}` as
/// one line on stderr, and an exit status: 1 for a failure while running, 64 for a command line
/// that was refused before anything ran (an unknown command or option, a value out of range).
enum CommandOutput {
    /// Exit status of a refused command line (sysexits' EX_USAGE, as ArgumentParser uses).
    static let usageExitStatus: Int32 = 64

    static func fail(_ error: JSONValue, status: Int32 = 1) -> Never {
        let line = JSONValue.object(["error": error]).serialized() + "\n"
        let bytes = Array(line.utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
        Glibc.exit(status)
    }

    static func fail(_ code: String, _ message: String, retryable: Bool = false, artifacts: [String] = []) -> Never {
        var error: JSONObject = ["code": .string(code), "message": .string(message), "retryable": .bool(retryable)]
        if !artifacts.isEmpty { error["artifacts"] = .array(artifacts.map(JSONValue.string)) }
        fail(.object(error))
    }

    /// A command line refused before running: `invalid_arguments`, what was wrong, and where help is.
    static func refuse(_ message: String, help: String) -> Never {
        fail(["code": "invalid_arguments", "message": .string(message), "retryable": false, "help": .string(help)],
             status: usageExitStatus)
    }
}
