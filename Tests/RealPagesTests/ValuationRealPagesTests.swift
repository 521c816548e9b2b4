import Foundation
import JSON
import Testing
@testable import Producers

/// The valuation on a real sold page read by the shipped eBay profile in real headless Chromium.
/// The saved pages hold no packaged-snack search and no "Results matching fewer words" section:
/// the mixed page here is the Volkswagen New Beetle parts page (sold listings of many parts, sides,
/// colours and body styles), and the fewer-words boundary is added to a copy of it the way eBay
/// marks it (`li.srp-river-answer--REWRITE_START` among the results).
@Suite(.serialized, .enabled(if: RealPages.available, RealPages.missing))
struct ValuationRealPagesTests {
    static let page = "ebay/usedparts-ebay-com-beetle-2026-05-scard.html"
    static let identity = ProductIdentity(producer: "Volkswagen", model: "New Beetle Hardtop Driver Left Upper Door Panel",
                                          confidence: 1, method: "given")

    /// Labelled by hand (item id → why). Comparables: the hardtop's driver-side (left) upper door
    /// panel, in any colour (a colour the identity does not name is not a variant of it).
    static let comparables: [String: String] = [
        "188114878749": "hardtop driver left upper door panel, silver",
        "336425614070": "hardtop driver left upper door panel, cybergreen",
        "336425637306": "hardtop driver LH upper door panel, yellow (LH is left)",
        "236623403156": "hardtop driver left upper door panel, batik blue",
        "336425551562": "hardtop driver left upper door panel, silver",
    ]
    /// Door panels that are not it, with the reason (the rest of the page is other parts).
    static let notComparables: [String: String] = [
        "205909820653": "right side, interior trim, no hardtop named",
        "177808200613": "a pair of hardtop panels, left and right, in one listing",
        "335938725447": "hatchback passenger front door card",
        "358221663887": "convertible passenger right interior panel",
        "127659317770": "hardtop right upper panel",
        "358169401196": "convertible passenger right interior panel",
        "177856796311": "convertible panels, a set",
        "257064695451": "rear convertible trim pair",
        "336425547474": "hardtop passenger right upper panel",
        "236324093224": "passenger door panel",
        "336425617857": "hardtop passenger RH upper panel",
        "389604666713": "convertible passenger right panel",
        "127657035713": "left and right top trim, no hardtop named",
    ]

    static func itemID(_ link: String) -> String? {
        guard let range = link.range(of: #"/itm/(\d+)"#, options: .regularExpression) else { return nil }
        return String(link[range].dropFirst(5))
    }

    /// The page read as `lens-gpt search` prints it, then valued as `lens-gpt estimate` does.
    static func value(_ relative: String) throws -> (listings: [SecondHandOffer], payload: JSONObject) {
        let outcome = try RealPages.get().run("ebay-sold", on: relative)
        let printed = JSONValue.object(["state": .string(outcome.state.rawValue),
                                        "listings": .array(outcome.hits.map { SearchListing($0).json })])
        let listings = try #require(Valuation.listings(try JSONParser.parse(Array(printed.serialized().utf8))))
        let (offers, tally) = Valuation.select(listings, identity: identity)
        var estimator = PriceEstimator()
        estimator.preferredCurrency = "USD"
        return (listings, Valuation.estimate(offers: offers, tally: tally, retail: nil, estimator: estimator).payload)
    }

    static func used(_ payload: JSONObject) -> Set<String> {
        Set((payload["comparables"]?.arrayValue ?? []).compactMap { $0["link"]?.stringValue.flatMap(itemID) })
    }

    /// What buyers paid (price + shipping) for the listed ids, read from the page at test time.
    static func median(of ids: Set<String>, in listings: [SecondHandOffer]) throws -> Double {
        let totals = listings.filter { itemID($0.link).map(ids.contains) == true }.compactMap { listing in
            Double(listing.price).map { $0 + (listing.shipping.flatMap(Double.init) ?? 0) }
        }.sorted()
        try #require(totals.count == ids.count, "every labelled listing is on the page")
        return totals.count % 2 == 1 ? totals[totals.count / 2] : (totals[totals.count / 2 - 1] + totals[totals.count / 2]) / 2
    }

    @Test func onlyTheIdentifiedPartIsPricedAndWithinTenPercentOfTheLabelledMedian() throws {
        let (listings, payload) = try Self.value(Self.page)
        #expect(listings.allSatisfy { !$0.partialMatch }, "the saved page has no fewer-words section")
        let used = Self.used(payload)
        #expect(used == Set(Self.comparables.keys), "comparables: \(used.sorted())")
        #expect(used.isDisjoint(with: Self.notComparables.keys))
        let median = try Self.median(of: Set(Self.comparables.keys), in: listings)
        let price = try #require(payload["price"]?.stringValue.flatMap(Double.init))
        report("valuation | \(Self.page) | \(used.count) comparables of \(listings.count) | estimate \(price) vs labelled median \(median)")
        #expect(abs(price - median) / median <= 0.10, "estimate \(price) vs hand-labelled median \(median)")
        #expect(payload["sell_through"]?["sold"]?.intValue == Self.comparables.count)
        #expect((payload["rejected"]?["other_product"]?.intValue ?? 0) >= Self.notComparables.count)
    }

    @Test func listingsAfterTheFewerWordsBoundaryAreMarkedAndNeverPriced() throws {
        var html = try RealPages.bytes(Self.page)
        let text = String(decoding: html, as: UTF8.self)
        // Before the listing of 236623403156: two labelled comparables fall under the boundary.
        let anchor = try #require(text.range(of: "data-listingid=236623403156"))
        let start = try #require(text.range(of: "<li", options: .backwards, range: text.startIndex..<anchor.lowerBound))
        let boundary = #"<li class="srp-river-answer srp-river-answer--REWRITE_START"><div class="section-notice"><h3 class="section-notice__title">Results matching fewer words</h3></div></li>"#
        html = Array((String(text[..<start.lowerBound]) + boundary + String(text[start.lowerBound...])).utf8)
        let made = try RealPages.get().make("beetle-fewer-words.html", html)
        let (listings, payload) = try Self.value(made)
        let partialIDs = listings.filter(\.partialMatch).compactMap { Self.itemID($0.link) }
        let order = listings.compactMap { Self.itemID($0.link) }
        let cut = try #require(order.firstIndex(of: "236623403156"))
        #expect(partialIDs == Array(order[cut...]), "every listing after the boundary, and only those, is partial")
        let used = Self.used(payload)
        #expect(used == ["188114878749", "336425614070", "336425637306"], "\(used.sorted())")
        #expect(payload["rejected"]?["partial_match"]?.intValue == 2, "the two under the boundary are counted, not priced")
    }

    /// The Switch page's REWRITE_START is a notice above the results ("tidied results"), not the
    /// fewer-words boundary: nothing on it is partial.
    @Test func aRewriteNoticeAboveTheResultsMarksNothing() throws {
        let outcome = try RealPages.get().run("ebay", on: "ebay/buyrecords-ebay-com-switch-2025-05-sitem.html")
        #expect(outcome.hits.count >= 55)
        #expect(outcome.hits.allSatisfy { !$0.partialMatch })
    }
}
