@testable import Extraction
import TestSupport
import Testing

/// One page of our own per rule the visible-price reader applies; each fails without its rule.
struct VisiblePriceRuleTests {
    func extract(_ fixture: String) throws -> ProductRecord {
        try Extractor.extract(html: try PeerData.fixture(fixture), url: nil)
    }

    @Test func pricesInsideARecommendationStripAreOtherProducts() throws {
        // The strip's card price is labelled "sale-price" and sits closer to nothing in
        // particular; only the "recommendations" container four levels up says whose it is.
        let record = try extract("visible-recommendations.html")
        #expect(record.price == "89.00")
        #expect(record.currency == "USD")
    }

    @Test func aContainerHoldingTheHeadingIsThePageNotAStrip() throws {
        let html = """
        <html><body class="theme-related-items"><div class="page"><h1>Trail Runner 2</h1>
        <span class="price">$89.00</span><button>Add to cart</button></div></body></html>
        """
        let record = try Extractor.extract(html: Array(html.utf8), url: nil)
        #expect(record.price == "89.00")
    }

    @Test func priceSplitOverSiblingsIsReadFromTheirParent() throws {
        let record = try extract("visible-split-currency.html")
        #expect(record.price == "294")
        #expect(record.currency == "CNY")
    }

    @Test func blockWithAStruckPriceReadsAsTheCurrentOne() throws {
        let record = try extract("visible-struck-in-block.html")
        #expect(record.price == "131990")
        #expect(record.currency == "KZT")
    }

    @Test func layoutListClassDoesNotMarkAnOldPrice() throws {
        // "list-unstyled" is Bootstrap layout, not a list price.
        let record = try extract("visible-layout-list.html")
        #expect(record.price == "100.00")
    }

    @Test func aShippingFeeIsNeverTheItemsPrice() throws {
        let record = try extract("visible-shipping-only.html")
        #expect(record.price == nil)
    }

    @Test func auctionOpeningPriceGivesWayToTheCurrentBid() throws {
        let record = try extract("auction-current-bid.html")
        #expect(record.price == "400")
        #expect(record.method == .visible)
    }

    @Test func auctionWithoutBidsKeepsItsOpeningPrice() throws {
        let page = String(decoding: try PeerData.fixture("auction-current-bid.html"), as: UTF8.self)
            .replacingOccurrences(of: "<span class=\"price\">$400</span> <span class=\"count\">5 bids</span>",
                                  with: "<span class=\"price\">$90</span> <span class=\"count\">0 bids</span>")
        #expect(page.contains("0 bids"))
        let record = try Extractor.extract(html: Array(page.utf8), url: nil)
        #expect(record.price == "90")
    }

    @Test func anOpeningPriceIsNotOvertakenByALowerNumber() throws {
        // Bids only go up: a smaller price beside the opening price is not a bid.
        let page = String(decoding: try PeerData.fixture("auction-current-bid.html"), as: UTF8.self)
            .replacingOccurrences(of: "$400", with: "$40")
        let record = try Extractor.extract(html: Array(page.utf8), url: nil)
        #expect(record.price == "90")
    }
}
