import TestSupport
import Foundation
import JSON
import Testing

/// `lens-gpt read IMAGE`: one JSON object and exit 0, or a JSON error on stderr and exit 1.
@Suite("lens-gpt read", .enabled(if: lensGPTBinary != nil, "lens-gpt is not built next to the tests"))
struct ReadCommandTests {
    @Test func readsABarcodePhoto() throws {
        guard PeerData.available("barcodes/zbar-examples/ean-13.png") else { return }
        let run = try runLensGPT(["read", PeerData.path("barcodes/zbar-examples/ean-13.png")])
        #expect(run.status == 0, "\(run.err)")
        let json = try JSONParser.parse(run.out)
        let first = json["barcodes"]?[0]
        #expect(first?["symbology"] == "EAN-13")
        #expect(first?["value"] == "9789876543217")
        #expect(first?["gtin"] == "09789876543217")
        #expect(first?["decoders"] == ["zbar", "zxing"])
        #expect(json["text"]?.stringValue != nil)
        #expect(json["lines"]?.arrayValue != nil)
    }

    @Test func readsPrintedText() throws {
        guard PeerData.available("ocr/phototest.tif") else { return }
        let run = try runLensGPT(["read", PeerData.path("ocr/phototest.tif")])
        #expect(run.status == 0, "\(run.err)")
        let json = try JSONParser.parse(run.out)
        #expect(json["barcodes"]?.arrayValue?.isEmpty == true)
        #expect(json["lines"]?[0]?.stringValue == "This is a lot of 12 point text to test the")
        #expect(json["language"] == "eng")
        #expect(json["truncated"] == false)
        #expect(json["truncated_by"] == .null)
    }

    @Test func unreadableImageIsAJSONErrorAndExitOne() throws {
        let path = NSTemporaryDirectory() + "lens-gpt-read-\(UUID().uuidString).png"
        try Data("this is text, not a picture\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try runLensGPT(["read", path])
        #expect(run.status == 1)
        // The command line's one error convention: the JSON error on stderr, nothing on stdout.
        #expect(run.out.isEmpty)
        let json = try JSONParser.parse(run.err)
        #expect(json["error"]?["code"] == "unreadable_image")
        #expect(json["error"]?["message"]?.stringValue?.isEmpty == false)
        let missing = try runLensGPT(["read", path + ".absent"])
        #expect(missing.status == 1)
        #expect(try JSONParser.parse(missing.err)["error"]?["code"] == "unreadable_file")
    }

    @Test func pixelLimitApplies() throws {
        guard PeerData.available("barcodes/zbar-examples/ean-13.png") else { return }
        let run = try runLensGPT(["read", "--max-pixels", "1000", PeerData.path("barcodes/zbar-examples/ean-13.png")])
        #expect(run.status == 1)
        #expect(try JSONParser.parse(run.err)["error"]?["code"] == "too_many_pixels")
    }
}
