@testable import Extraction
import TestSupport
import Testing

struct VisiblePageTests {
    @Test func priceNearTheHeadingSkipsOldUnitAndRelatedPrices() throws {
        let record = try Extractor.extract(html: try PeerData.fixture("visible.html"), url: nil)
        #expect(record.name == "Kaffeemühle Classic")
        #expect(record.price == "1299.00")
        #expect(record.currency == "EUR")
        #expect(record.sku == "KM-4711")
        #expect(record.availability == nil)
        #expect(record.method == .visible)
    }

    @Test func outOfStockNoticeButNotInsideASizeList() throws {
        let record = try Extractor.extract(html: try PeerData.fixture("visible-out-of-stock.html"), url: nil)
        #expect(record.availability == "OutOfStock")
        let sizes = "<html><body><h1>Shoe</h1><select><option>42 - out of stock</option></select><button>Add to cart</button></body></html>"
        #expect(try Extractor.extract(html: Array(sizes.utf8), url: nil).availability == nil)
    }

    @Test func unavailablePageDropsItsVisiblePrice() throws {
        let html = """
        <html><body><h1>Headphones Z</h1><span>Currently unavailable.</span>
        <div class="other-sellers"><span class="price">$29.99</span></div></body></html>
        """
        let record = try Extractor.extract(html: Array(html.utf8), url: nil)
        #expect(record.availability == "OutOfStock")
        #expect(record.price == nil)
    }

    @Test func struckMarkupPriceIsCorrectedByThePriceBesideIt() throws {
        let html = """
        <html><body><h1>Phone A01</h1><script type="application/ld+json">{"@type": "Product", "name": "Phone A01",
        "offers": {"@type": "Offer", "price": "49890", "priceCurrency": "KZT"}}</script>
        <div><s>49 890 ₸</s> <span class="now-price">44 890 ₸</span></div>
        <section class="recommended"><span class="price">12 000 ₸</span></section></body></html>
        """
        let record = try Extractor.extract(html: Array(html.utf8), url: nil)
        #expect(record.price == "44890")
    }

    @Test func markupPriceShownOnlyAsOldPriceIsCorrected() throws {
        let html = """
        <html><body><div itemscope itemtype="http://schema.org/Product"><h1 itemprop="name">Book</h1>
        <div itemprop="offers" itemscope itemtype="http://schema.org/Offer"><meta itemprop="price" content="18.00"></div>
        <span class="price actual-price">17,10 €</span> <span class="old-price">18,00 €</span></div></body></html>
        """
        let record = try Extractor.extract(html: Array(html.utf8), url: nil)
        #expect(record.price == "17.10")
        #expect(record.method == .visible)
    }

    @Test func skuFromTheURL() {
        #expect(IdentifierReader.sku(fromURL: "https://www.amazon.de/dp/B00BRMIU7A", strongOnly: true) == "B00BRMIU7A")
        #expect(IdentifierReader.sku(fromURL: "https://www.ebay.com/itm/302474151804", strongOnly: true) == "302474151804")
        #expect(IdentifierReader.sku(fromURL: "https://shop.example/c/name-1589482272.html", strongOnly: true) == nil)
        #expect(IdentifierReader.sku(fromURL: "https://shop.example/c/name-1589482272.html", strongOnly: false) == "1589482272")
        #expect(IdentifierReader.sku(fromURL: "https://shop.example/x?sku=1049084", strongOnly: false) == "1049084")
        #expect(IdentifierReader.sku(fromURL: "https://shop.example/about-us", strongOnly: false) == nil)
    }

    @Test func visibleMainTextIsCapped() throws {
        let html = "<html><body><main><h1>Title</h1><script>var x = 1;</script>" + String(repeating: "<p>word</p>", count: 10_000)
            + "</main></body></html>"
        let document = try HTMLDocument(html: Array(html.utf8))
        var limits = ExtractionLimits()
        limits.maxVisibleTextCharacters = 100
        let text = Extractor.visibleMainText(of: document, limits: limits)
        #expect(text.hasPrefix("Title word"))
        #expect(!text.contains("var x"))
        #expect(text.count == 100)
    }
}
