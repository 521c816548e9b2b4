import JSON

/// What the marketplace searches showed beside the offers: how many listings were left out and
/// why, and how many of the product sold and are still for sale on the results pages read (the
/// sell-through). Listings shown as looser matches are not counted here: they stay among the
/// offers, marked, and the estimate leaves them out.
public struct OfferTally: Sendable, Equatable {
    /// Reason (`OfferRejection` raw value) → listings left out for it.
    public var rejected: [String: Int] = [:]
    /// Listings of the product that sold, and that are for sale, on the searched results pages.
    public var sold = 0
    public var active = 0

    public init() {}

    mutating func reject(_ reason: OfferRejection) { rejected[reason.rawValue, default: 0] += 1 }
}

/// The `estimated-price` payload: the estimate and what it rests on. Shared by the stage and by
/// `lens-gpt estimate`, so a valuation can be checked on saved results pages without a run.
public enum Valuation {
    /// Every reason a listing is not a comparable, always present in `rejected`.
    static let reasons = ["other_product", "other_quantity", "partial_match", "lot", "for_parts", "replica", "outlier"]

    /// Results-page listings sorted into offers for `identity` (looser matches among them, marked)
    /// and the tally of the rest, by the rules the `second-hand-offers` stage applies. A listing
    /// on two of the pages (overlapping pages, the same page twice) counts once.
    public static func select(_ listings: [SecondHandOffer], identity: ProductIdentity) -> (offers: [SecondHandOffer], tally: OfferTally) {
        var tally = OfferTally()
        var offers: [SecondHandOffer] = []
        var seen = Set<String>()
        for listing in listings where seen.insert(OfferMerge.key(listing.link)).inserted {
            let why = listing.condition == "for_parts" ? .forParts
                : OfferFilter.rejection(title: listing.title, wear: listing.wear.isEmpty ? nil : listing.wear, producer: identity.producer,
                                        model: identity.model, partialMatch: listing.partialMatch)
            switch why {
            case nil:
                offers.append(listing)
                if listing.sold { tally.sold += 1 } else { tally.active += 1 }
            case .partialMatch?:
                offers.append(listing)
            case let reason?:
                tally.reject(reason)
            }
        }
        return (offers, tally)
    }

    /// The estimate from `offers` (looser matches left out) and its payload; nil estimate (and an
    /// explanation in the payload) when there is neither enough comparables nor a retail price.
    public static func estimate(offers: [SecondHandOffer], tally: OfferTally, retail: (amount: Double, currency: String)?,
                                estimator: PriceEstimator) -> (estimate: PriceEstimator.Estimate?, payload: JSONObject)
    {
        var rejected = tally.rejected
        var comparables: [PriceEstimator.Comparable] = []
        for (index, offer) in offers.enumerated() {
            if offer.partialMatch {
                rejected["partial_match", default: 0] += 1
                continue
            }
            guard let amount = Double(offer.price), let currency = offer.currency else { continue }
            // What the buyer pays: the price and its shipping where shown.
            let shipping = offer.shipping.flatMap(Double.init) ?? 0
            comparables.append(PriceEstimator.Comparable(amount: amount + shipping, currency: currency, condition: offer.condition,
                                                         sold: offer.sold, ranged: offer.priceMax != nil, soldDate: offer.soldDate,
                                                         id: index))
        }
        let estimate = estimator.estimate(comparables: comparables, retail: retail)
        rejected["outlier", default: 0] += estimate?.outliers ?? 0
        var payload: JSONObject = [:]
        if let estimate {
            payload["price"] = .string(PriceEstimator.money(estimate.price))
            payload["min_range"] = .string(PriceEstimator.money(estimate.low))
            payload["max_range"] = .string(PriceEstimator.money(estimate.high))
            payload["certainty"] = .double(estimate.certainty)
            payload["currency"] = .string(estimate.currency)
            payload["basis"] = .string(estimate.basis)
            payload["sample_size"] = .int(estimate.sampleSize)
            if estimate.basis == "comparables" {
                payload["sold_median"] = estimate.soldMedian.map { .string(PriceEstimator.money($0)) } ?? .null
                payload["active_median"] = estimate.activeMedian.map { .string(PriceEstimator.money($0)) } ?? .null
                payload["sold_sample_size"] = .int(estimate.soldSampleSize)
                payload["active_sample_size"] = .int(estimate.activeSampleSize)
                payload["condition_medians"] = .object(JSONObject(estimate.conditionMedians.sorted { $0.key < $1.key }.map {
                    ($0.key, .string(PriceEstimator.money($0.value)))
                }))
            }
            if !estimate.conversions.isEmpty {
                // Each converted currency's rate, e.g. {"USD": "0.925926"}: 1 USD in the estimate's currency.
                payload["rates"] = .object(JSONObject(estimate.conversions.sorted { $0.key < $1.key }.map {
                    ($0.key, .string(String(format: "%.6f", $0.value)))
                }))
            }
        } else {
            payload["price"] = .null
            payload["basis"] = "none"
            payload["message"] = "too few listings of the product itself and no retail price: no estimate"
        }
        payload["comparables"] = .array((estimate?.used ?? []).compactMap { used in
            guard offers.indices.contains(used.id) else { return nil }
            let offer = offers[used.id]
            return .object(["link": .string(offer.link), "title": .string(offer.title), "price": .string(offer.price),
                            "currency": .optional(offer.currency), "shipping": .optional(offer.shipping),
                            "condition": .string(offer.condition), "sold": .bool(offer.sold), "sold_date": .optional(offer.soldDate),
                            "weight": .double(used.weight)])
        })
        payload["rejected"] = .object(JSONObject(reasons.map { ($0, .int(rejected[$0] ?? 0)) }))
        payload["sell_through"] = sellThrough(tally: tally, offers: offers)
        return (estimate, payload)
    }

    /// Sold ÷ (sold + active) of the product on the results pages read, with both counts and the
    /// dates the sales span; null when the pages showed none of it.
    static func sellThrough(tally: OfferTally, offers: [SecondHandOffer]) -> JSONValue {
        let seen = tally.sold + tally.active
        guard seen > 0 else { return .null }
        let dates = offers.filter { $0.sold && !$0.partialMatch }.compactMap(\.soldDate).sorted()
        return .object(["rate": .double(PriceEstimator.round(Double(tally.sold) / Double(seen), places: 2)),
                        "sold": .int(tally.sold), "active": .int(tally.active),
                        "from": .optional(dates.first), "to": .optional(dates.last)])
    }
}

extension Valuation {
    /// A listing as `lens-gpt search` prints it (`SearchListing.json`), as an offer; nil without
    /// a title, link or price, or when it ended unsold.
    public static func listing(_ json: JSONValue) -> SecondHandOffer? {
        guard let title = json["title"]?.stringValue, let link = json["link"]?.stringValue,
              let price = json["price"]?.stringValue, Double(price) != nil else { return nil }
        let sold = json["sold"]?.boolValue ?? false
        return SecondHandOffer(price: price, currency: json["currency"]?.stringValue, link: link, title: title,
                               wear: json["wear"]?.stringValue ?? "", condition: json["condition"]?.stringValue ?? "unknown",
                               domain: LensLinks.domain(link) ?? "", priceMax: json["price_max"]?.stringValue,
                               shipping: json["shipping"]?.stringValue, sold: sold,
                               soldDate: json["sold_date"]?.stringValue, partialMatch: json["partial_match"]?.boolValue ?? false)
    }

    /// The listings of what `lens-gpt search` printed: one `{"state", "listings"}` object, or an
    /// array of them (several pages). Nil when it is neither.
    public static func listings(_ document: JSONValue) -> [SecondHandOffer]? {
        let pages = document.arrayValue ?? [document]
        var out: [SecondHandOffer] = []
        for page in pages {
            guard let listings = page["listings"]?.arrayValue else { return nil }
            out += listings.compactMap(listing)
        }
        return out
    }
}
