import JSON
import TestSupport
import Testing
@testable import Producers

/// `estimated-price` says where its sales came from: eBay's Browse API lists no sold items, so
/// sales are read from sold-listings pages unless an API offer says otherwise.
@Suite struct SoldSourcesTests {
    func offer(_ price: String, sold: Bool, provider: String? = nil) -> SecondHandOffer {
        var offer = SecondHandOffer(price: price, currency: "USD", link: "https://www.ebay.com/itm/\(price)", title: "x", wear: "Used",
                                    condition: "used", domain: "ebay.com", sold: sold)
        offer.provider = provider
        return offer
    }

    func estimate(_ offers: [SecondHandOffer]) throws -> JSONValue {
        let stream = try runGraph([
            .init(FixedProducer(SecondHandOffersProducer.key, .init(offers: offers, failures: []))),
            .init(EstimatedPriceProducer(), dependsOn: ["second-hand-offers"]),
        ])
        return try #require(payloads(stream, "estimated-price").first)
    }

    @Test func salesFromPagesAreNamed() throws {
        let offers = [offer("50.00", sold: true), offer("52.00", sold: true), offer("55.00", sold: false, provider: "ebay-api"),
                      offer("57.00", sold: false, provider: "ebay-api")]
        #expect(try estimate(offers)["sold_sources"] == ["sold-listings-pages"])
    }

    @Test func noSalesNoSource() throws {
        let offers = [offer("55.00", sold: false, provider: "ebay-api"), offer("56.00", sold: false, provider: "ebay-api"),
                      offer("57.00", sold: false, provider: "ebay-api")]
        let payload = try estimate(offers)
        #expect(payload["basis"] == "comparables")
        #expect(payload["sold_sources"] == nil)
    }
}
