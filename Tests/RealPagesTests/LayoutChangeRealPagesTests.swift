import Foundation
import Testing
@testable import Producers

/// The eBay profile on real pages changed the way sites change: card classes renamed (a
/// redesign), item links in their older slug form, and pages that are not results pages at all.
@Suite(.serialized, .enabled(if: RealPages.available, RealPages.missing))
struct LayoutChangeRealPagesTests {
    static let ebayResults = RealPages.files(in: "ebay").filter { !$0.contains("/challenge-") }

    /// The item id of an eBay link, with or without a title slug before it.
    static func itemID(_ link: String) -> String? {
        guard let match = link.firstMatch(of: #/\/itm\/(?:[^\/?#]+\/)?(\d{6,})/#) else { return nil }
        return String(match.1)
    }

    /// With every card class renamed, the item selector finds nothing; the fallback reader still
    /// reads most listings, with titles and prices, around their item links, and says so.
    @Test(arguments: ebayResults)
    func renamedCardsAreStillReadAndFlaggedDegraded(_ page: String) throws {
        let pages = try RealPages.get()
        let present = try IndependentReading(RealPages.bytes(page)).ebayListings().map(\.id)
        let outcome = try pages.run("ebay", on: page, query: "rewrite=renamed-cards")
        let listings = outcome.hits.map { SearchListing($0) }
        let ids = listings.compactMap { LayoutChangeRealPagesTests.itemID($0.link) }
        let listed = ids.filter(Set(present).contains)
        #expect(outcome.state == .results, "\(page)")
        #expect(outcome.degraded, "\(page): read by the fallback, and flagged")
        #expect(outcome.hits.allSatisfy { $0.degraded })
        #expect(listed.count * 10 >= present.count * 9, "\(page): \(listed.count) of \(present.count) listings read")
        #expect(listed.count == ids.count, "\(page): \(ids.count - listed.count) read that are not in the results list (carousels)")
        let dirty = listings.filter { $0.title.isEmpty || DirtyTitle.isDirty($0.title) }
        #expect(dirty.count * 10 <= listings.count, "\(page): titles \(dirty.map(\.title).prefix(3))")
        let priced = listings.filter { $0.price != nil && $0.currency != nil }.count
        #expect(priced * 10 >= listings.count * 9, "\(page): prices \(priced)/\(listings.count)")
        report("\(page) renamed cards | ebay | present \(present.count) → read \(listings.count) (\(listed.count) listed) | dirty \(dirty.count) | priced \(priced) | \(outcome.state.rawValue) degraded \(outcome.degraded)")
    }

    /// Item links with a title slug before the id (`/itm/Some-Title/123456789012`) are read like
    /// today's: every listing, in order, not degraded.
    @Test(arguments: ebayResults)
    func slugItemLinksAreRead(_ page: String) throws {
        let pages = try RealPages.get()
        let present = try IndependentReading(RealPages.bytes(page)).ebayListings().map(\.id)
        let outcome = try pages.run("ebay", on: page, query: "rewrite=slug-links")
        let ids = outcome.hits.compactMap { LayoutChangeRealPagesTests.itemID($0.link) }
        #expect(outcome.state == .results)
        #expect(!outcome.degraded)
        #expect(outcome.hits.allSatisfy { $0.link.contains("/itm/Saved-Listing-") }, "the links as the page wrote them")
        #expect(ids == present, "\(page): every listing, in order")
        report("\(page) slug links | ebay | present \(present.count) → read \(ids.count) | \(outcome.state.rawValue)")
    }

    /// A page that is neither results, the site's no-results page nor a bot check the profile
    /// knows is `unrecognized`, with its screenshot and source kept: never "empty", never a timeout.
    @Test(arguments: [("ebay", "websearch/bing-dominos-de-2026-03-05.html"), ("ebay", "lens/trumandaniels-visual-2026-05-15a.html"),
                      ("duckduckgo", "websearch/startpage-anubis-2026-08-11.html"), ("kleinanzeigen", "ebay/challenge-cardscraper-ebay-com-2025-10.html")])
    func aNonResultsPageIsUnrecognized(_ profile: String, _ page: String) throws {
        let outcome = try RealPages.get().run(profile, on: page)
        #expect(outcome.state == .unrecognized, "\(profile) on \(page)")
        #expect(outcome.hits.isEmpty)
        #expect(outcome.artifacts.count == 2, "a screenshot and the page source are kept: \(outcome.artifacts)")
        report("\(page) | \(profile) | \(outcome.state.rawValue)")
    }
}
