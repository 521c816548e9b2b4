import DemoWorld
import JSON
import Testing
@testable import Producers

/// The valuation on a DemoWorld sold page built with the traps real snack pages hold (other
/// flavours, pack sizes, mixed packs, lots, other brands, copies, broken items, eBay's
/// fewer-words section), each listing labelled by hand with its reason (`ValuationTraps`).
@Suite struct ValuationTests {
    static let identity = ProductIdentity(producer: ValuationTraps.producer, model: ValuationTraps.model, confidence: 1, method: "given")

    static func run() throws -> (offers: [SecondHandOffer], payload: JSONObject) {
        let document = try JSONParser.parse(Array(ValuationTraps.searchOutput.utf8))
        let listings = try #require(Valuation.listings(document))
        #expect(listings.count == ValuationTraps.listings.count)
        let (offers, tally) = Valuation.select(listings, identity: identity)
        var estimator = PriceEstimator()
        estimator.preferredCurrency = "USD"
        return (offers, Valuation.estimate(offers: offers, tally: tally, retail: nil, estimator: estimator).payload)
    }

    @Test func everyListingGetsItsHandLabel() throws {
        for listing in ValuationTraps.listings {
            let why = listing.condition == "for_parts" ? .forParts
                : OfferFilter.rejection(title: listing.title, wear: nil, producer: ValuationTraps.producer, model: ValuationTraps.model,
                                        partialMatch: listing.partialMatch)
            #expect((why?.rawValue ?? "comparable") == listing.label, "\(listing.itemID) \(listing.title): \(listing.reason)")
        }
    }

    @Test func theEstimateRestsOnlyOnTheProductInItsPackSize() throws {
        let (_, payload) = try Self.run()
        let labelled = ValuationTraps.listings.filter { $0.label == "comparable" && $0.sold }
        let used = Set((payload["comparables"]?.arrayValue ?? []).compactMap { $0["link"]?.stringValue?.split(separator: "/").last.map(String.init) })
        #expect(used == Set(labelled.map { "90000000" + $0.itemID }), "comparables are the labelled sales, nothing else")
        // The hand-labelled median of what buyers paid (price + shipping).
        let totals = labelled.compactMap { l in Double(l.price).flatMap { p in Double(l.shipping).map { p + $0 } } }.sorted()
        let median = totals[totals.count / 2]
        let price = try #require(payload["price"]?.stringValue.flatMap(Double.init))
        #expect(abs(price - median) / median <= 0.10, "estimate \(price) vs hand-labelled median \(median)")
        #expect(payload["basis"]?.stringValue == "comparables")
        #expect(payload["currency"]?.stringValue == "USD")
        // Every reason counted as the labels say.
        let rejected = try #require(payload["rejected"]?.objectValue)
        for reason in ["other_product", "other_quantity", "partial_match", "lot", "for_parts", "replica"] {
            let want = ValuationTraps.listings.filter { $0.label == reason }.count
            #expect(rejected[reason]?.intValue == want, "\(reason): \(rejected[reason] ?? .null) vs \(want)")
        }
        #expect(rejected["outlier"]?.intValue == 0)
        // Sell-through from both counts: five sales and two still for sale.
        let sell = try #require(payload["sell_through"])
        #expect(sell["sold"]?.intValue == 5 && sell["active"]?.intValue == 2)
        #expect(sell["rate"]?.doubleValue == 0.71)
        #expect(sell["from"]?.stringValue == "2025-10-02" && sell["to"]?.stringValue == "2026-03-06")
        // Per-condition medians where a condition has enough sales; the five-month-old sale weighs less.
        #expect(payload["condition_medians"]?["new"]?.stringValue == "28.00")
        let weights = (payload["comparables"]?.arrayValue ?? []).compactMap { c in
            c["link"]?.stringValue.map { ($0, c["weight"]?.doubleValue ?? -1) }
        }
        let old = try #require(weights.first { $0.0.hasSuffix("900000005") }?.1)
        let recent = try #require(weights.first { $0.0.hasSuffix("900000001") }?.1)
        #expect(old < recent / 3, "a sale five months before the latest counts far less (\(old) vs \(recent))")
    }

    @Test func fewerWordsListingsAreShownButNeverPriced() throws {
        let (offers, payload) = try Self.run()
        let partial = offers.filter(\.partialMatch)
        #expect(partial.count == 1, "the fewer-words listing of the product stays among the offers, marked")
        #expect(partial.first?.json["partial_match"]?.boolValue == true)
        let used = (payload["comparables"]?.arrayValue ?? []).compactMap { $0["link"]?.stringValue }
        #expect(!used.contains { link in partial.contains { $0.link == link } })
    }

    @Test func tooFewTrueComparablesSayNoEstimate() throws {
        // Only the traps: nothing is the product, so there is no price to borrow from the others.
        let traps = ValuationTraps.listings.filter { $0.label != "comparable" }
        let offers = traps.map { l in
            SecondHandOffer(price: l.price, currency: "USD", link: "https://www.ebay.com/itm/9\(l.itemID)", title: l.title, wear: "",
                            condition: l.condition, domain: "ebay.com", shipping: l.shipping, sold: l.sold, soldDate: l.soldDate,
                            partialMatch: l.partialMatch)
        }
        let (kept, tally) = Valuation.select(offers, identity: Self.identity)
        let result = Valuation.estimate(offers: kept, tally: tally, retail: nil, estimator: PriceEstimator())
        #expect(result.estimate == nil)
        #expect(result.payload["basis"]?.stringValue == "none")
        #expect(result.payload["price"] == .null)
        let withRetail = Valuation.estimate(offers: kept, tally: tally, retail: (amount: 30, currency: "USD"), estimator: PriceEstimator())
        #expect(withRetail.payload["basis"]?.stringValue == "retail")
    }

    @Test func packAndCountWordsAreReadAsAQuantity() {
        func total(_ title: String) -> Int? { QuantityWords.quantity(in: title)?.total }
        #expect(total("Quest Bar 4 Count Box") == 4)
        #expect(total("Protein 12 Bars") == 12)
        #expect(total("Energy bar 12ct") == 12)
        #expect(total("Becher 2er Pack") == 2)
        #expect(total("Lot of 3 mugs") == 3)
        #expect(total("Mug x2") == 2)
        #expect(total("pack of 6 cans") == 6)
        #expect(total("2 x 12 Count") == 24)
        #expect(total("Riegel 24 Stück") == 24)
        #expect(total("Sony WH-1000XM4") == nil)
        #expect(total("LEGO 7075 Castle") == nil)
        #expect(total("Ceramic Mug 350 ml") == nil)
        #expect(total("iPhone 12 Pro 256 GB") == nil)
    }

    @Test func variantWordsAndSidesMustAgree() {
        func why(_ title: String, _ model: String) -> OfferRejection? {
            OfferFilter.rejection(title: title, wear: nil, producer: "Volkswagen", model: model)
        }
        let door = "New Beetle Hardtop Driver Left Upper Door Panel"
        #expect(why("98-10 Volkswagen VW New Beetle Hardtop Driver Left Upper Door Panel Silver OEM", door) == nil)
        #expect(why("98-10 Volkswagen VW New Beetle Hardtop Driver LH Upper Door Panel Yellow", door) == nil, "LH is left")
        #expect(why("98-10 Volkswagen VW New Beetle Hardtop Passenger Right Upper Door Panel Silver", door) == .otherProduct)
        #expect(OfferFilter.rejection(title: "Crunchwell Protein Bar Salted Caramel Peanut 12ct", wear: nil, producer: "Crunchwell",
                                      model: "Protein Bar Peanut Butter Chocolate 12 Count") == .otherProduct)
    }
}
