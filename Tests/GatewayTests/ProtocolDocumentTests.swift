import Foundation
import Testing

/// docs/PROTOCOL.md is the wire contract: every event name the code can emit and every path the
/// gateway answers must be documented there. The names are read from the sources, so a new stage
/// or route that is not documented fails here.
@Suite struct ProtocolDocumentTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func sources() throws -> [(path: String, text: String)] {
        let base = root.appendingPathComponent("Sources")
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return [] }
        var out: [(String, String)] = []
        for case let url as URL in walker where url.pathExtension == "swift" {
            out.append((url.path, try String(contentsOf: url, encoding: .utf8)))
        }
        return out
    }

    /// First capture group of every match of `pattern` in `text`.
    static func captures(_ pattern: String, in text: String) throws -> [String] {
        let regex = try NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    static func document() throws -> String {
        try String(contentsOf: root.appendingPathComponent("docs/PROTOCOL.md"), encoding: .utf8)
    }

    /// The "Events" section's table rows: the event names it documents.
    static func documentedEvents(_ document: String) throws -> Set<String> {
        let section = document.components(separatedBy: "## Events").dropFirst().first ?? ""
        return Set(try captures(#"(?m)^\| `([a-z0-9-]+)` \|"#, in: section))
    }

    @Test func everyEventTheServerCanEmitIsDocumented() throws {
        var emitted: Set<String> = []
        for (_, text) in try ProtocolDocumentTests.sources() {
            for pattern in [#"let stage = "([a-z0-9-]+)""#, #"StageKey<.+>\("([a-z0-9-]+)"\)"#, #"emit\("([a-z0-9-]+)""#, #"append\(name: "([a-z0-9-]+)""#,
                            #"seal\(final: "([a-z0-9-]+)""#] {
                emitted.formUnion(try ProtocolDocumentTests.captures(pattern, in: text))
            }
        }
        // The scan itself finds the known ones (a rename of the calls it looks for would blind it).
        #expect(emitted.isSuperset(of: ["image-info", "lens-matches", "estimated-price", "progress", "stage-error", "done"]), "\(emitted)")
        let documented = try ProtocolDocumentTests.documentedEvents(ProtocolDocumentTests.document())
        let missing = emitted.subtracting(documented)
        #expect(missing.isEmpty, "events the server can emit but docs/PROTOCOL.md does not list: \(missing.sorted())")
        #expect(!documented.contains("error"), "the failed-stage event is stage-error")
    }

    @Test func everyRouteIsDocumented() throws {
        let document = try ProtocolDocumentTests.document()
        var paths: Set<String> = []
        for (path, text) in try ProtocolDocumentTests.sources() where path.hasSuffix("GatewayRouter.swift") || path.contains("DemoWorld+Gateway") {
            paths.formUnion(try ProtocolDocumentTests.captures(#"case "(/[a-z./-]*)""#, in: text))
            paths.formUnion(try ProtocolDocumentTests.captures(#"path == "(/[a-z./-]+)""#, in: text))
        }
        paths.formUnion(["/results/{id}/events", "/results/{id}/thumbnails/{n}", "/demo/web/{host}/{path}"])
        #expect(paths.contains("/healthz") && paths.contains("/favicon.ico"), "\(paths)")
        for path in paths {
            #expect(document.contains("GET \(path)") || document.contains("POST \(path)"), "docs/PROTOCOL.md does not document \(path)")
        }
    }
}
