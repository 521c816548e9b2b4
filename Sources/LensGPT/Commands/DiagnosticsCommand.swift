import ArgumentParser
import Glibc
import Producers

/// `lens-gpt diagnostics [ID]`: the operator's way to the screenshots and page sources of failed
/// Lens searches, which `stage-error` events (and `lens` errors) name by id only.
struct DiagnosticsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diagnostics",
        abstract: "List the kept Lens failure screenshots and page sources, or print one by its id.",
        discussion: "Without ID: one line per file (id, bytes, UTC time, path), oldest first. With ID (from an event's `artifacts`): the file's bytes on stdout."
    )

    @Argument(help: "A diagnostics id such as diag-3f2a9c0e1b7d4a55-1764312000123.png.") var id: String?
    @Option(help: "The server's data directory (LENS_GPT_DATA_DIR, default ./data).") var dataDir: String?

    func run() throws {
        let diagnostics = LensDiagnostics(directory: Setting.string(dataDir, env: "LENS_GPT_DATA_DIR", default: "data") + "/diagnostics")
        guard let id else {
            for entry in diagnostics.list() {
                var seconds = time_t(entry.modified)
                var parts = tm()
                gmtime_r(&seconds, &parts)
                func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
                let stamp = "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
                    + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
                print("\(entry.id)\t\(entry.bytes)\t\(stamp)\t\(diagnostics.directory)/\(entry.id)")
            }
            return
        }
        guard let path = diagnostics.path(for: id), let bytes = LensCommand.readFile(path) else {
            throw ValidationError("no diagnostics file \(id) in \(diagnostics.directory)")
        }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return -1 }
                return Glibc.write(1, base + offset, bytes.count - offset)
            }
            if n <= 0 { throw ExitCode.failure }
            offset += n
        }
    }
}
