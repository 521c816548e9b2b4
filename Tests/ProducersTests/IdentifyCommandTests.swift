import Foundation
import JSON
import TestSupport
import Testing
@testable import Producers

/// `lens-gpt identify [--titles FILE]`: titles (TAB domain) in, one JSON object out.
@Suite(.enabled(if: lensGPTBinary != nil, "SKIPPED: lens-gpt is not built next to the tests (swift build --build-tests)"))
struct IdentifyCommandTests {
    func run(_ arguments: [String], stdin: String? = nil) throws -> ProgramOutput {
        try runLensGPT(arguments, stdin: stdin ?? "")
    }

    @Test func namesTheProductOfARealTitleSetFromAFile() throws {
        guard PeerData.has("real-pages") else {
            print(PeerData.missing("real-pages"))
            return
        }
        let titles = try ebaySearchTitles("real-pages/ebay/rwscraper-ebay-com-champion-2025-10-scard.html")
        let file = NSTemporaryDirectory() + "lens-gpt-titles-" + UUID().uuidString + ".txt"
        defer { try? FileManager.default.removeItem(atPath: file) }
        try titles.map { "\($0.text)\t\($0.site ?? "")" }.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let result = try run(["identify", "--titles", file])
        #expect(result.status == 0, "\(result.err)")
        let answer = try JSONParser.parse(result.out)
        #expect(answer["producer"] == "Champion")
        #expect(answer["model"] == "Reverse Weave")
        #expect(answer["method"] == "heuristic")
        #expect((answer["confidence"]?.doubleValue ?? 0) >= IdentificationProducer.defaultFloor)
        #expect(answer == TitleIdentification.identify(titles))
    }

    @Test func abstainsOnStdinTitlesThatAgreeOnNothing() throws {
        let result = try run(["identify"], stdin: "Samsung Galaxy A15 5G\nApple iPhone 13 128GB\nGoogle Pixel 7a\tebay.com\nNokia 2660 flip phone\n")
        #expect(result.status == 0, "\(result.err)")
        let answer = try JSONParser.parse(result.out)
        #expect(answer["producer"] == .null)
        #expect(answer["model"] == .null)
        #expect((answer["candidates"]?.arrayValue?.count ?? 0) >= 1)
        #expect(answer["candidates"]?[0]?["support"]?.doubleValue != nil)
    }

    @Test func theFloorIsASetting() throws {
        let titles = "Sony WH-1000XM4 headphones\nSony WH-1000XM4 black\nSony WH-1000XM4 used\n"
        let lenient = try JSONParser.parse(try run(["identify"], stdin: titles).out)
        #expect(lenient["producer"] == "Sony")
        let strict = try JSONParser.parse(try run(["identify", "--identify-floor", "0.99"], stdin: titles).out)
        #expect(strict["producer"] == .null)
        let bad = try run(["identify", "--identify-floor", "2"], stdin: titles)
        #expect(bad.status == 1)
        #expect(try JSONParser.parse(bad.err)["error"]?["code"] == "invalid_setting")
        let missing = try run(["identify", "--titles", "/nonexistent/titles.txt"])
        #expect(missing.status == 1)
        #expect(try JSONParser.parse(missing.err)["error"]?["code"] == "titles_missing")
    }
}
