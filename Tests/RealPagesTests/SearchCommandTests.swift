import Foundation
import JSON
import TestSupport
import Testing

/// `lens-gpt search PROFILE --url URL`: its JSON contract and exit codes on saved real pages.
@Suite(.serialized, .enabled(if: RealPages.available && lensGPTBinary != nil, "SKIPPED: no real-pages corpus or no lens-gpt built beside the tests"))
struct SearchCommandTests {
    func run(_ arguments: [String], input: String? = nil) throws -> ProgramOutput {
        try runLensGPT(arguments, set: ["LENS_GPT_DATA_DIR": try RealPages.get().directory + "/cli"], stdin: input)
    }

    @Test func marketplaceListingsWithEveryKey() throws {
        let pages = try RealPages.get()
        let result = try run(["search", "ebay-sold", "--url", pages.url("ebay/usedparts-ebay-com-beetle-2026-05-scard.html"), "--max", "100"])
        #expect(result.status == 0, "\(result.err)")
        let object = try JSONParser.parse(result.out)
        #expect(object["state"] == "results")
        let listings = object["listings"]?.arrayValue ?? []
        #expect(listings.count == 60)
        let keys: Set<String> = ["title", "link", "price", "price_max", "currency", "shipping", "condition", "wear", "sold", "sold_date",
                                 "partial_match"]
        #expect(listings.allSatisfy { Set($0.objectValue?.keys ?? []) == keys })
        #expect(listings.contains { $0["sold"] == true && $0["sold_date"]?.stringValue?.hasPrefix("2026-") == true })
        #expect(listings.allSatisfy { $0["currency"] == "USD" })
    }

    @Test func aBotCheckExitsThree() throws {
        let pages = try RealPages.get()
        let result = try run(["search", "ebay", "--url", pages.url("ebay/challenge-cardscraper-ebay-com-2025-10.html")])
        #expect(result.status == 3, "\(result.err)")
        #expect(try JSONParser.parse(result.out)["state"] == "blocked")
    }

    /// A renamed layout is read and says `"degraded": true`; a page the profile does not
    /// recognise exits 4 with `"state": "unrecognized"` and its screenshot and source.
    @Test func degradedAndUnrecognizedPages() throws {
        let pages = try RealPages.get()
        let renamed = try run(["search", "ebay", "--url", pages.url("ebay/rwscraper-ebay-com-champion-2025-10-scard.html", query: "rewrite=renamed-cards")])
        #expect(renamed.status == 0, "\(renamed.err)")
        let read = try JSONParser.parse(renamed.out)
        #expect(read["state"] == "results" && read["degraded"] == true)
        #expect((read["listings"]?.arrayValue?.count ?? 0) >= 54)
        let normal = try run(["search", "ebay", "--url", pages.url("ebay/rwscraper-ebay-com-champion-2025-10-scard.html")])
        #expect(try JSONParser.parse(normal.out)["degraded"] == false)
        let other = try run(["search", "ebay", "--url", pages.url("websearch/bing-dominos-de-2026-03-05.html")])
        #expect(other.status == 4, "\(other.err)")
        let page = try JSONParser.parse(other.out)
        #expect(page["state"] == "unrecognized")
        #expect(page["artifacts"]?.arrayValue?.count == 2)
    }

    @Test func webResultsAndEmptyPages() throws {
        let pages = try RealPages.get()
        let web = try run(["search", "duckduckgo", "--url", pages.url("websearch/prestigecorp-ddghtml-siteshellharbour-2025-08-30.html")])
        #expect(web.status == 0, "\(web.err)")
        let results = try JSONParser.parse(web.out)["results"]?.arrayValue ?? []
        #expect(results.count == 10)
        #expect(results.allSatisfy { Set($0.objectValue?.keys ?? []) == ["title", "link", "snippet"] })
        let empty = try run(["search", "kleinanzeigen", "--url", pages.url("marketplaces/bescraper-kleinanzeigen-search-noresults-2026-04-17.html")])
        #expect(empty.status == 0, "\(empty.err)")
        #expect(try JSONParser.parse(empty.out)["state"] == "empty")
        let unknown = try run(["search", "no-such-profile", "--url", "http://127.0.0.1:1/"])
        #expect(unknown.status == 1)
        #expect(try JSONParser.parse(unknown.err)["error"]?["code"] == "invalid_settings")
    }

    /// `lens-gpt estimate` on what `lens-gpt search` printed: one page, or several as an array.
    @Test func estimateReadsWhatSearchPrinted() throws {
        let pages = try RealPages.get()
        let searched = try run(["search", "ebay-sold", "--url", pages.url("ebay/usedparts-ebay-com-beetle-2026-05-scard.html"), "--max", "100"])
        #expect(searched.status == 0, "\(searched.err)")
        let arguments = ["estimate", "--producer", "Volkswagen", "--model", "New Beetle Hardtop Driver Left Upper Door Panel", "--country", "US"]
        let one = try run(arguments, input: searched.out)
        #expect(one.status == 0, "\(one.err)")
        let payload = try JSONParser.parse(one.out)
        #expect(payload["basis"] == "comparables")
        #expect(payload["currency"] == "USD")
        #expect(payload["comparables"]?.arrayValue?.count == 5)
        let keys: Set<String> = ["link", "title", "price", "currency", "shipping", "condition", "sold", "sold_date", "weight"]
        #expect(payload["comparables"]?.arrayValue?.allSatisfy { Set($0.objectValue?.keys ?? []) == keys } == true)
        #expect(payload["sell_through"]?["sold"]?.intValue == 5)
        // The same page twice as an array: a listing on both pages counts once.
        let two = try run(arguments, input: "[" + searched.out + "," + searched.out + "]")
        #expect(two.status == 0, "\(two.err)")
        #expect(try JSONParser.parse(two.out)["comparables"]?.arrayValue?.count == 5)
        #expect(try JSONParser.parse(two.out)["sell_through"]?["sold"]?.intValue == 5)
        // Not what search prints: a clear error, exit 1.
        let bad = try run(arguments, input: "{\"results\": []}")
        #expect(bad.status == 1)
        #expect(try JSONParser.parse(bad.err)["error"]?["code"] == "invalid_input")
        let notJSON = try run(arguments, input: "not json")
        #expect(notJSON.status == 1)
    }
}
