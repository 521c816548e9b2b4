import JSON
import Pipeline

/// `estimated-price`: what the item is likely worth second-hand, from the offers (comparables)
/// and, when there are too few, from the retail price. Deterministic: no LLM.
public struct EstimatedPriceProducer: Producer {
    public let stage = "estimated-price"
    let estimator: PriceEstimator
    /// ECB rates: with them the estimate is in the currency of the run's country.
    let exchangeRates: ExchangeRateSource?

    public init(estimator: PriceEstimator = PriceEstimator(), exchangeRates: ExchangeRateSource? = nil) {
        self.estimator = estimator
        self.exchangeRates = exchangeRates
    }

    public func produce(_ inputs: StageInputs, _ context: StageContext) throws -> any Sendable {
        let offers = inputs.optional("second-hand-offers", as: [SecondHandOffer].self) ?? []
        let retail = inputs.optional("retail-price-details", as: RetailDetails.self)
        let comparables = offers.compactMap { offer -> PriceEstimator.Comparable? in
            guard let amount = Double(offer.price), let currency = offer.currency else { return nil }
            // What the buyer pays: the price and its shipping where shown.
            let shipping = offer.shipping.flatMap(Double.init) ?? 0
            return PriceEstimator.Comparable(amount: amount + shipping, currency: currency, condition: offer.condition,
                                             sold: offer.sold, ranged: offer.priceMax != nil)
        }
        let retailPrice = retail.flatMap { details -> (Double, String)? in
            guard let text = details.price, let amount = Double(text), let currency = details.currency else { return nil }
            return (amount, currency)
        }
        var estimator = self.estimator
        let rates = estimator.rates.isEmpty ? exchangeRates?.current() : nil  // fixed --currency-rates win
        if let rates, let currency = CountryCurrency.code(for: context.image.locale.country), let table = rates.rates(in: currency) {
            estimator.rates = table
            estimator.base = currency
        }
        guard let estimate = estimator.estimate(comparables: comparables, retail: retailPrice) else {
            throw StageError(code: "no_price_basis", message: "no second-hand offers and no retail price to estimate from", retryable: false)
        }
        var payload: JSONObject = [
            "price": .string(PriceEstimator.money(estimate.price)),
            "min_range": .string(PriceEstimator.money(estimate.low)),
            "max_range": .string(PriceEstimator.money(estimate.high)),
            "certainty": .double(estimate.certainty),
            "currency": .string(estimate.currency),
            "basis": .string(estimate.basis),
            "sample_size": .int(estimate.sampleSize),
        ]
        if estimate.basis == "comparables" {
            payload["sold_median"] = estimate.soldMedian.map { .string(PriceEstimator.money($0)) } ?? .null
            payload["active_median"] = estimate.activeMedian.map { .string(PriceEstimator.money($0)) } ?? .null
            payload["sold_sample_size"] = .int(estimate.soldSampleSize)
            payload["active_sample_size"] = .int(estimate.activeSampleSize)
            // Where the sales came from: marketplaces' sold-listings pages read in the browser, or
            // an API named by its provider (eBay's Browse API lists no sold items).
            let soldFrom = Set(offers.filter(\.sold).map { $0.provider ?? "sold-listings-pages" })
            if !soldFrom.isEmpty { payload["sold_sources"] = .array(soldFrom.sorted().map(JSONValue.string)) }
        }
        // The date of the rates beside every converted figure.
        if let rates, estimate.basis == "comparables", comparables.contains(where: { $0.currency != estimate.currency }) {
            payload["exchange_rates"] = ["date": .string(rates.date), "source": "ECB euro reference rates"]
        }
        if !estimate.conversions.isEmpty {
            // Each converted currency's configured rate, e.g. {"USD": "0.925926"}: 1 USD in the estimate's currency.
            payload["rates"] = .object(JSONObject(estimate.conversions.sorted { $0.key < $1.key }.map {
                ($0.key, .string(String(format: "%.6f", $0.value)))
            }))
        }
        context.emit(stage, .object(payload))
        return estimate
    }
}
