import Testing
@testable import Producers

@Suite struct PriceEstimatorTests {
    typealias C = PriceEstimator.Comparable

    @Test func weightedMedianAndQuartilesOfComparables() throws {
        let prices: [Double] = [100, 110, 120, 130, 140]
        let estimate = try #require(PriceEstimator().estimate(
            comparables: prices.map { C(amount: $0, currency: "EUR", condition: "good") }, retail: nil))
        #expect(estimate.basis == "comparables")
        #expect(estimate.price == 120)
        #expect(estimate.low < 120 && estimate.low >= 100)
        #expect(estimate.high > 120 && estimate.high <= 140)
        #expect(estimate.sampleSize == 5)
        #expect(estimate.currency == "EUR")
        #expect(estimate.certainty > 0 && estimate.certainty < 1)
    }

    @Test func outliersOnLogScaleAreDropped() throws {
        let prices: [Double] = [95, 100, 105, 110, 98, 102, 5, 2000]
        let estimate = try #require(PriceEstimator().estimate(
            comparables: prices.map { C(amount: $0, currency: "USD") }, retail: nil))
        #expect(estimate.sampleSize == 6)
        #expect(estimate.price > 95 && estimate.price < 110)
    }

    @Test func majorityCurrencyWinsAndOthersConvertOnlyWithConfiguredRates() throws {
        let comparables = [C(amount: 100, currency: "EUR"), C(amount: 110, currency: "EUR"), C(amount: 105, currency: "EUR"),
                           C(amount: 1000, currency: "USD")]
        let withoutRates = try #require(PriceEstimator().estimate(comparables: comparables, retail: nil))
        #expect(withoutRates.currency == "EUR")
        #expect(withoutRates.sampleSize == 3)  // the dollar listing is left out, not guessed
        let withRates = try #require(PriceEstimator(rates: ["USD": 0.1, "EUR": 1], base: "EUR").estimate(comparables: comparables, retail: nil))
        #expect(withRates.sampleSize == 4)
    }

    @Test func aTieForTheMajorityCurrencyGoesToTheRetailCurrency() throws {
        let comparables = [C(amount: 77, currency: "USD"), C(amount: 103, currency: "USD"), C(amount: 77, currency: "EUR"), C(amount: 65, currency: "EUR")]
        let estimator = PriceEstimator(rates: ["USD": 1, "EUR": 1.08])
        #expect(estimator.estimate(comparables: comparables, retail: (129, "USD"))?.currency == "USD")
        #expect(estimator.estimate(comparables: comparables, retail: (129, "EUR"))?.currency == "EUR")
    }

    @Test func newListingsWeighLessAndForPartsNotAtAll() throws {
        let comparables = [C(amount: 50, currency: "EUR", condition: "good"), C(amount: 52, currency: "EUR", condition: "good"),
                           C(amount: 54, currency: "EUR", condition: "very_good"),
                           C(amount: 62, currency: "EUR", condition: "new"), C(amount: 1, currency: "EUR", condition: "for_parts")]
        let estimate = try #require(PriceEstimator().estimate(comparables: comparables, retail: nil))
        #expect(estimate.sampleSize == 4)
        #expect(estimate.price < 56)  // the new listing counts for half
    }

    @Test func fewComparablesFallBackToAThirdOfRetail() throws {
        let estimate = try #require(PriceEstimator().estimate(comparables: [C(amount: 40, currency: "EUR")], retail: (300, "EUR")))
        #expect(estimate.basis == "retail")
        #expect(estimate.price == 100)
        #expect(estimate.low == 75)
        #expect(estimate.high == 120)
        #expect(estimate.certainty <= 0.3)
        #expect(PriceEstimator().estimate(comparables: [], retail: nil) == nil)
    }

    @Test func moneyHasTwoPlaces() {
        #expect(PriceEstimator.money(120) == "120.00")
        #expect(PriceEstimator.money(99.999) == "100.00")
    }
}
