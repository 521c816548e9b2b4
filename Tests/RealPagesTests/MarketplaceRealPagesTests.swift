import Foundation
import Testing
import Pipeline
@testable import Producers

/// Every shipped marketplace profile on every saved real page it applies to, in real headless
/// Chromium; counts compared with an independent (libxml2) reading of the same file.
@Suite(.serialized, .enabled(if: RealPages.available, RealPages.missing))
struct MarketplaceRealPagesTests {
    static let ebayResults = RealPages.files(in: "ebay").filter { !$0.contains("/challenge-") }
    static let ebayChallenges = RealPages.files(in: "ebay").filter { $0.contains("/challenge-") }

    /// Both eBay profiles read every listing of every era (s-item 2022/2025, s-card with su-link
    /// late 2025, s-card with s-card__link 2026), in page order, with clean titles; sold marks
    /// match the page's; the condition comes from the condition row.
    @Test(arguments: ebayResults)
    func eBayProfilesReadEveryListing(_ page: String) throws {
        let pages = try RealPages.get()
        let present = try IndependentReading(RealPages.bytes(page)).ebayListings()
        #expect(present.count >= 55, "the independent reading found the list: \(present.count)")
        for profile in ["ebay", "ebay-sold"] {
            let outcome = try pages.run(profile, on: page)
            let listings = outcome.hits.map { SearchListing($0) }
            let ids = listings.map { listing -> String in
                guard let range = listing.link.range(of: #"/itm/(\d+)"#, options: .regularExpression) else { return listing.link }
                return String(listing.link[range].dropFirst(5))
            }
            #expect(outcome.state == .results, "\(profile) on \(page)")
            #expect(ids == present.map(\.id), "\(profile) on \(page): every listing, in order")
            let dirty = listings.filter { DirtyTitle.isDirty($0.title) }
            #expect(dirty.isEmpty, "\(profile) on \(page): dirty titles \(dirty.map(\.title).prefix(3))")
            #expect(listings.allSatisfy { !$0.title.isEmpty && $0.price != nil && $0.currency != nil }, "\(profile) on \(page): prices")
            let sold = listings.filter(\.sold).count
            #expect(sold == present.filter(\.soldMark).count, "\(profile) on \(page): sold flags")
            #expect(listings.filter(\.sold).allSatisfy { $0.soldDate != nil }, "\(profile) on \(page): sold dates")
            let conditions = listings.filter { $0.condition != nil }.count
            // Promotions ("30 Day Warranty…", "Buy with Confidence…") never become a condition.
            #expect(!listings.contains { ($0.wear ?? "").localizedCaseInsensitiveContains("warranty") || ($0.wear ?? "").contains("Confidence") })
            #expect(conditions * 10 >= listings.count * 9, "\(profile) on \(page): conditions read \(conditions)/\(listings.count)")
            let ranges = listings.filter { $0.priceMax != nil }.count
            let shipping = listings.filter { $0.shipping != nil }.count
            report("\(page) | \(profile) | present \(present.count) → read \(listings.count) | dirty \(dirty.count) | conditions \(conditions) | sold \(sold) | ranges \(ranges) | shipping \(shipping) | \(outcome.state.rawValue)")
        }
    }

    @Test(arguments: ebayChallenges)
    func eBaysBotCheckIsBlocked(_ page: String) throws {
        let pages = try RealPages.get()
        for profile in ["ebay", "ebay-sold"] {
            let outcome = try pages.run(profile, on: page)
            #expect(outcome.state == .blocked, "\(profile) on \(page)")
            #expect(outcome.hits.isEmpty)
            #expect(outcome.artifacts.count == 2, "a screenshot and the page source are kept: \(outcome.artifacts)")
            report("\(page) | \(profile) | present 0 → read 0 | dirty 0 | conditions 0 | sold 0 | \(outcome.state.rawValue)")
        }
    }

    @Test func kleinanzeigensNoResultsPageIsEmpty() throws {
        let page = "marketplaces/bescraper-kleinanzeigen-search-noresults-2026-04-17.html"
        let outcome = try RealPages.get().run("kleinanzeigen", on: page)
        #expect(outcome.state == .empty)
        #expect(outcome.hits.isEmpty)
        report("\(page) | kleinanzeigen | present 0 → read 0 | dirty 0 | conditions 0 | sold 0 | \(outcome.state.rawValue)")
    }

    @Test func mercarisSearchPageReadsItsLoadedCells() throws {
        let page = "marketplaces/buyrecords-mercari-jp-search-2025-05.html"
        let reading = try IndependentReading(RealPages.bytes(page))
        let present = reading.elements("li") { reading.nodes[$0].attribute("data-testid") == "item-cell" }.compactMap { cell in
            reading.descendants(cell).lazy.compactMap { node -> String? in
                reading.nodes[node].attribute("data-testid") == "thumbnail-link" ? reading.nodes[node].attribute("href") : nil
            }.first
        }
        let outcome = try RealPages.get().run("mercari", on: page)
        let listings = outcome.hits.map { SearchListing($0) }
        #expect(outcome.state == .results)
        #expect(listings.map { URL(string: $0.link)?.path ?? "" } == present, "every loaded cell, in order")
        #expect(listings.allSatisfy { $0.currency == "JPY" && $0.price != nil })
        report("\(page) | mercari | present \(present.count) → read \(listings.count) | dirty 0 | conditions \(listings.filter { $0.condition != nil }.count) | sold \(listings.filter(\.sold).count) | \(outcome.state.rawValue)")
    }

    @Test func depopsSearchPageReadsEveryProduct() throws {
        let page = "marketplaces/rwscraper-depop-search-2025-10.html"
        let reading = try IndependentReading(RealPages.bytes(page))
        var present: [String] = []
        for anchor in reading.elements("a") {
            guard let href = reading.nodes[anchor].attribute("href"), href.hasPrefix("/products/") else { continue }
            if present.last != href { present.append(href) }
        }
        present = present.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let outcome = try RealPages.get().run("depop", on: page)
        let listings = outcome.hits.map { SearchListing($0) }
        #expect(outcome.state == .results)
        func trimmed(_ path: String) -> String { path.hasSuffix("/") ? String(path.dropLast()) : path }
        #expect(listings.map { trimmed(URL(string: $0.link)?.path ?? "") } == present.map(trimmed))
        #expect(listings.allSatisfy { $0.price != nil && $0.currency == "USD" && !$0.title.isEmpty })
        report("\(page) | depop | present \(present.count) → read \(listings.count) | dirty 0 | conditions 0 | sold 0 | \(outcome.state.rawValue)")
    }

    @Test func vintedsSavedCardIsRead() throws {
        let page = "marketplaces/projetpageweb-vinted-fr-card-fragment-2026-03.html"
        let outcome = try RealPages.get().run("vinted", on: page)
        let listings = outcome.hits.map { SearchListing($0) }
        #expect(listings.count == 1)
        #expect(listings.first?.link.contains("/items/8361416909") == true)
        #expect(listings.first?.price == "3.00")
        #expect(listings.first?.currency == "EUR")
        #expect(listings.first?.condition == "very_good", "\(String(describing: listings.first?.wear))")
        report("\(page) | vinted (off by default) | present 1 → read \(listings.count) | dirty 0 | conditions \(listings.filter { $0.condition != nil }.count) | sold 0 | \(outcome.state.rawValue)")
    }
}

/// A real listing page that says it sold is a sale, never a current offer; Mercari's own
/// condition label (商品の状態) is read.
@Suite(.enabled(if: RealPages.available, RealPages.missing))
struct SoldListingPageTests {
    @Test func mercarisSoldOutItemIsASaleWithItsCondition() throws {
        let page = "marketplaces/buyrecords-mercari-jp-item-2025-05.html"
        let link = "https://jp.mercari.com/item/m96084058332"
        let market = try #require(MarketplaceCatalog.marketplace(for: link))
        let listing = try ListingPage(html: RealPages.bytes(page), url: link, marketplace: market)
        #expect(listing.record.availability == "SoldOut")
        #expect(listing.wear == "目立った傷や汚れなし")
        let title = try #require(listing.record.name)
        // The identity is what the listing's title says (this test is about the sold mark, not identification).
        let words = title.split(separator: " ").map(String.init)
        let identity = ProductIdentity(producer: words[0], model: words.dropFirst().prefix(2).joined(separator: " "), confidence: 0.9,
                                       method: "heuristic")
        let lead = SecondHandOffersProducer.Lead(link: link, title: title, marketplace: market)
        let producer = SecondHandOffersProducer(pages: NoPages(), searches: [])
        let offer = try #require(producer.offer(lead, page: listing, identity: identity))
        #expect(offer.sold, "a SoldOut listing is a sale")
        #expect(offer.condition == "very_good")
        #expect(offer.price == "4500")
        #expect(offer.currency == "JPY")
        report("\(page) | listing page | sold \(offer.sold) | condition \(offer.condition) (\(offer.wear)) | \(offer.price) \(offer.currency ?? "")")
    }

    struct NoPages: PageSource {
        func fetchPage(_ url: String) throws -> (url: String, status: Int, body: [UInt8]) { throw StageError(code: "fetch_failed", message: url) }
    }
}
