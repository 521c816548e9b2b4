import TestSupport
import Extraction
import Testing

struct InputSafetyTests {
    @Test func refusesInputOverTheLimit() {
        let big = [UInt8](repeating: 0x20, count: 50 * 1024 * 1024)
        #expect(throws: ExtractionError(.inputTooLarge, "input is larger than the 10 MiB limit")) {
            try Extractor.extract(html: big, url: nil)
        }
    }

    @Test func refusesADecompressionBomb() throws {
        let bomb = try PeerData.fixture("bomb.html.gz")
        #expect(bomb.count < 20_000)
        #expect(throws: ExtractionError(.inputTooLarge, "input is larger than the 10 MiB limit")) {
            try Extractor.extract(html: bomb, url: nil)
        }
    }

    @Test func reportsTruncatedGzip() throws {
        let error = #expect(throws: ExtractionError.self) {
            try Extractor.extract(html: try PeerData.fixture("truncated.html.gz"), url: nil)
        }
        #expect(error?.code == .invalidGzip)
    }

    @Test func readsGzippedPages() throws {
        let plain = try Extractor.extract(html: try PeerData.fixture("visible.html"), url: nil)
        let zipped = try Extractor.extract(html: try PeerData.fixture("visible.html.gz"), url: nil)
        #expect(plain == zipped)
        #expect(zipped.price == "1299.00")
    }

    @Test(arguments: [
        [UInt8]([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00]),  // PNG header
        [UInt8]("<html>\u{0}</html>".utf8),
        [UInt8](repeating: 0x01, count: 100) + [UInt8]("<p>x</p>".utf8),
        [UInt8]([0xFF, 0xFE, 0x3C, 0x00]),  // UTF-16
    ])
    func refusesBinaryInput(_ bytes: [UInt8]) {
        let error = #expect(throws: ExtractionError.self) { try Extractor.extract(html: bytes, url: nil) }
        #expect(error?.code == .binaryInput)
    }

    @Test func emptyInputIsAnEmptyRecord() throws {
        let record = try Extractor.extract(html: [], url: nil)
        #expect(record == ProductRecord())
    }

    /// The HTML parser must not expand entities a page declares (billion laughs).
    @Test func declaredEntitiesAreNotExpanded() throws {
        var html = "<!DOCTYPE html [<!ENTITY a \"" + String(repeating: "a", count: 100) + "\">"
        for level in 1...8 {
            html += "<!ENTITY e\(level) \"" + String(repeating: "&e\(level - 1);", count: 10) + "\">"
        }
        html = html.replacingOccurrences(of: "&e0;", with: "&a;") + "]><html><body><h1>&e8;</h1></body></html>"
        let document = try HTMLDocument(html: Array(html.utf8))
        let text = document.nodes.filter { $0.kind == .text }.map(\.text).joined()
        #expect(text.utf8.count < 10_000)
    }

    @Test func deepTagSoupDoesNotExhaustTheStack() throws {
        let html = String(repeating: "<div><span>", count: 20_000) + "deep" + "<p>unclosed <b>tags"
        let document = try HTMLDocument(html: Array(html.utf8))
        #expect(document.nodes.count > 10)
    }

    @Test func legacyEncodingIsDecoded() throws {
        let record = try Extractor.extract(html: try PeerData.fixture("legacy-encoding.html"), url: nil)
        #expect(record.name == "Teekanne Grün")
        #expect(record.price == "24.90")
        #expect(record.currency == "EUR")
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
