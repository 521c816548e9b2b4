import Gateway
import Glibc
import JSON

/// A photo named on the command line, refused with the server's codes and words
/// (`UploadError`): a missing, empty or oversized file reads the same in `classify`, `read`
/// and `POST /classify`.
enum PhotoFile {
    /// The file's bytes (`-`: stdin); else the refusal on stderr and exit 1 (`CommandOutput`).
    static func read(_ path: String, maxBytes: Int) -> [UInt8] {
        let bytes: [UInt8]
        do {
            bytes = try InputFile.read(path, maxBytes: maxBytes, tooLarge: TooLarge())
        } catch is TooLarge {
            CommandOutput.fail(refusal(.tooLarge(limit: maxBytes)))
        } catch {
            CommandOutput.fail(["code": "unreadable_file", "message": .string("\(path): \((error as? InputFile.Error)?.message ?? "\(error)")"), "retryable": false])
        }
        if bytes.isEmpty { CommandOutput.fail(refusal(.empty)) }
        return bytes
    }

    private struct TooLarge: Error {}

    /// The `error` object of the server's answer to the same upload.
    static func refusal(_ error: UploadError) -> JSONValue {
        var object = (try? JSONParser.parse(error.response.body))?["error"]?.objectValue ?? [:]
        object["retryable"] = false
        return .object(object)
    }
}
