import JSON
import Pipeline

/// `estimated-price`: what the item is likely worth second-hand, from the offers (comparables)
/// and, when there are too few, from the retail price. Deterministic: no LLM.
public struct EstimatedPriceProducer: Producer {
    public let stage = "estimated-price"
    let estimator: PriceEstimator

    public init(estimator: PriceEstimator = PriceEstimator()) { self.estimator = estimator }

    public func produce(_ inputs: StageInputs, _ context: StageContext) throws -> any Sendable {
        let offers = inputs.optional("second-hand-offers", as: [SecondHandOffer].self) ?? []
        let retail = inputs.optional("retail-price-details", as: RetailDetails.self)
        let comparables = offers.compactMap { offer -> PriceEstimator.Comparable? in
            guard let amount = Double(offer.price), let currency = offer.currency else { return nil }
            return PriceEstimator.Comparable(amount: amount, currency: currency, condition: offer.condition)
        }
        let retailPrice = retail.flatMap { details -> (Double, String)? in
            guard let text = details.price, let amount = Double(text), let currency = details.currency else { return nil }
            return (amount, currency)
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
