import Glibc
import JSON

/// The command line's error contract: `{"error": {"code", "message", "retryable", ...}}` on stderr, exit 1.
enum CommandOutput {
    static func fail(_ error: JSONValue) -> Never {
        let line = JSONValue.object(["error": error]).serialized() + "\n"
        let bytes = Array(line.utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
        Glibc.exit(1)
    }

    static func fail(_ code: String, _ message: String, retryable: Bool = false) -> Never {
        fail(["code": .string(code), "message": .string(message), "retryable": .bool(retryable)])
    }
}
