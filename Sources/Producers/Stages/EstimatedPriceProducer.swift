import JSON
import Pipeline

/// `estimated-price`: what the item is likely worth second-hand, from the offers (comparables)
/// and, when there are too few, from the retail price. Deterministic: no LLM.
public struct EstimatedPriceProducer: KeyedProducer {
    public static let key = StageKey<PriceEstimator.Estimate>("estimated-price")
    let estimator: PriceEstimator
    /// ECB rates: with them the estimate is in the currency of the run's country.
    let exchangeRates: ExchangeRateSource?

    public init(estimator: PriceEstimator = PriceEstimator(), exchangeRates: ExchangeRateSource? = nil) {
        self.estimator = estimator
        self.exchangeRates = exchangeRates
    }

    public func run(_ inputs: StageInputs, _ context: StageContext) throws -> PriceEstimator.Estimate {
        // The offers stage's report: the offers and the tally of what was left out.
        let report = inputs.optional(SecondHandOffersProducer.key)
        let offers = report?.offers ?? []
        let retail = inputs.optional(RetailDetailsProducer.key)
        let retailPrice = retail.flatMap { details -> (amount: Double, currency: String)? in
            guard let text = details.price, let amount = Double(text), let currency = details.currency else { return nil }
            return (amount, currency)
        }
        var estimator = self.estimator
        let rates = estimator.rates.isEmpty ? exchangeRates?.current() : nil  // fixed --currency-rates win
        if let rates, let currency = CountryCurrency.code(for: context.image.locale.country), let table = rates.rates(in: currency) {
            estimator.rates = table
            estimator.base = currency
        }
        let (estimate, built) = Valuation.estimate(offers: offers, tally: report?.tally ?? OfferTally(), retail: retailPrice,
                                                   estimator: estimator)
        guard let estimate else {
            throw StageError(code: "no_price_basis", message: "no second-hand offers of the product itself and no retail price to estimate from",
                             retryable: false)
        }
        var payload = built
        if estimate.basis == "comparables" {
            // Where the sales came from: marketplaces' sold-listings pages read in the browser, or
            // an API named by its provider.
            let soldFrom = Set(offers.filter { $0.sold && !$0.partialMatch }.map { $0.provider ?? "sold-listings-pages" })
            if !soldFrom.isEmpty { payload["sold_sources"] = .array(soldFrom.sorted().map(JSONValue.string)) }
        }
        // The date of the rates beside every converted figure.
        if let rates, estimate.basis == "comparables", offers.contains(where: { $0.currency != nil && $0.currency != estimate.currency }) {
            payload["exchange_rates"] = ["date": .string(rates.date), "source": "ECB euro reference rates"]
        }
        context.emit(stage, .object(payload))
        return estimate
    }
}
