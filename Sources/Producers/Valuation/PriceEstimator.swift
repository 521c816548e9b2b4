import Foundation

/// `estimated-price`, deterministic: what the item is likely worth second-hand.
///
/// What items sold for beats what sellers ask: with enough sold comparables the estimate is
/// theirs alone; otherwise sold prices weigh more than active asking prices. A comparable's
/// price includes its shipping where shown; a price range counts at its low end, weighted down.
///
/// Comparables are brought into one currency (the most common among them; others only through
/// rates given in configuration), outliers are dropped with Tukey fences on log price (prices are
/// multiplicative: a listing at 10× is as odd as one at 0.1×), and the weighted median is the
/// estimate with the weighted P25–P75 as its range. With fewer than three comparables the estimate
/// comes from the retail price instead (about a third of it), with low certainty.
public struct PriceEstimator: Sendable {
    public struct Comparable: Sendable, Equatable {
        public var amount: Double
        public var currency: String
        /// Normalised condition (`new`, `like_new`, ..., `unknown`).
        public var condition: String
        /// How well the listing matches the identified product, 0...1.
        public var match: Double
        /// A sale (completed listing) rather than an asking price.
        public var sold: Bool
        /// The price was a range ("$20.00 to $35.00"): `amount` is its low end.
        public var ranged: Bool
        /// ISO date of the sale (`YYYY-MM-DD`) where shown: recent sales weigh more.
        public var soldDate: String?
        /// The caller's number for it, to name the comparables an estimate rests on.
        public var id: Int

        public init(amount: Double, currency: String, condition: String = "unknown", match: Double = 1, sold: Bool = false,
                    ranged: Bool = false, soldDate: String? = nil, id: Int = 0)
        {
            self.soldDate = soldDate
            self.id = id
            self.amount = amount
            self.currency = currency
            self.condition = condition
            self.match = match
            self.sold = sold
            self.ranged = ranged
        }
    }

    public struct Estimate: Sendable, Equatable {
        public var price: Double
        public var low: Double
        public var high: Double
        public var certainty: Double
        public var currency: String
        /// `comparables` or `retail`.
        public var basis: String
        public var sampleSize: Int
        /// Medians of the sold and of the active comparables used (nil where there were none).
        public var soldMedian: Double? = nil
        public var activeMedian: Double? = nil
        public var soldSampleSize = 0
        public var activeSampleSize = 0
        /// Rates that brought comparables into `currency`: other currency → value of one unit
        /// in `currency` (empty when nothing was converted), so a client can say so and convert alike.
        public var conversions: [String: Double] = [:]
        /// The comparables the estimate rests on (by `Comparable.id`) with their weight.
        public var used: [Used] = []
        /// Comparables dropped as outliers (Tukey fences).
        public var outliers = 0
        /// Median sale price per condition, for conditions with at least `minimumComparables` sales.
        public var conditionMedians: [String: Double] = [:]
    }

    public struct Used: Sendable, Equatable {
        public var id: Int
        public var weight: Double
    }

    /// Currency → value of one unit in `base`; e.g. base EUR, ["USD": 0.92]. Only what the
    /// configuration gives: no rate is ever made up.
    public var rates: [String: Double]
    public var base: String?
    /// Wins a tie between the comparables' currencies when there is no retail price (the run's country's).
    public var preferredCurrency: String?
    public var minimumComparables = 3
    /// Weight of an active asking price beside a sale (asking prices run above what sells).
    public var activeWeight = 0.5
    /// Weight of a price range's low end.
    public var rangeWeight = 0.5
    /// Days after which a sale counts half as much as the latest one (a sale last week counts
    /// more than one five months ago).
    public var recencyHalfLifeDays = 60.0

    public init(rates: [String: Double] = [:], base: String? = nil) {
        self.rates = rates
        self.base = base
    }

    /// Weight of a listing by condition: used items in good shape are the comparables we want;
    /// new ones price above and "for parts" says little.
    static func conditionWeight(_ condition: String) -> Double {
        switch condition {
        case "like_new", "very_good", "good": return 1.0
        case "used": return 0.9
        case "acceptable": return 0.7
        case "unknown": return 0.7
        case "new": return 0.5
        default: return 0  // for_parts
        }
    }

    /// `retail`'s currency breaks a tie for the majority currency of the comparables.
    public func estimate(comparables: [Comparable], retail: (amount: Double, currency: String)?) -> Estimate? {
        let usable = convert(comparables.filter { $0.amount > 0 && $0.amount.isFinite && PriceEstimator.conditionWeight($0.condition) > 0 },
                             preferring: retail?.currency ?? preferredCurrency)
        let kept = PriceEstimator.withoutOutliers(usable.items)
        let sold = kept.filter(\.sold), active = kept.filter { !$0.sold }
        // Enough sales: they alone say what the item is worth.
        let basis = sold.count >= minimumComparables ? sold : kept
        if basis.count >= minimumComparables, let currency = usable.currency {
            // Recency counts from the latest sale shown (a page's age does not make every sale older).
            let latest = basis.compactMap { $0.soldDate.flatMap(PriceEstimator.dayNumber) }.max()
            let weights = basis.map { weight(of: $0) * recency($0, latest: latest) }
            let weighted = zip(basis, weights).map { (value: $0.amount, weight: $1) }
            let median = PriceEstimator.weightedQuantile(weighted, 0.5)
            let low = PriceEstimator.weightedQuantile(weighted, 0.25)
            let high = PriceEstimator.weightedQuantile(weighted, 0.75)
            // More comparables and a tighter spread: more certain; sales are surer than asking prices.
            let sizeFactor = 1 - exp(-Double(basis.count) / 6)
            let spread = median > 0 ? (high - low) / median : 1
            let soldShare = Double(basis.filter(\.sold).count) / Double(basis.count)
            let certainty = min(0.95, sizeFactor / (1 + 1.5 * spread) * (0.85 + 0.15 * soldShare))
            func plainMedian(_ items: [Comparable]) -> Double? {
                items.isEmpty ? nil : PriceEstimator.quantile(items.map(\.amount).sorted(), 0.5)
            }
            var byCondition: [String: [Comparable]] = [:]
            for item in sold { byCondition[item.condition, default: []].append(item) }
            let conditionMedians = byCondition.filter { $0.value.count >= minimumComparables }.compactMapValues(plainMedian)
            return Estimate(price: median, low: low, high: high, certainty: PriceEstimator.round(certainty, places: 2),
                            currency: currency, basis: "comparables", sampleSize: basis.count,
                            soldMedian: plainMedian(sold), activeMedian: plainMedian(active),
                            soldSampleSize: sold.count, activeSampleSize: active.count,
                            conversions: conversions(from: Set(comparables.map(\.currency)), to: currency),
                            used: zip(basis, weights).map { Used(id: $0.id, weight: PriceEstimator.round($1, places: 3)) },
                            outliers: usable.items.count - kept.count, conditionMedians: conditionMedians)
        }
        guard let retail, retail.amount > 0 else { return nil }
        let certainty = kept.isEmpty ? 0.2 : 0.3
        return Estimate(price: retail.amount / 3, low: retail.amount * 0.25, high: retail.amount * 0.40,
                        certainty: certainty, currency: retail.currency, basis: "retail", sampleSize: kept.count,
                        outliers: usable.items.count - kept.count)
    }

    /// 1 for the latest sale, half after `recencyHalfLifeDays`; 1 for an asking price or an undated sale.
    func recency(_ item: Comparable, latest: Int?) -> Double {
        guard item.sold, let latest, let day = item.soldDate.flatMap(PriceEstimator.dayNumber), recencyHalfLifeDays > 0 else { return 1 }
        return pow(0.5, Double(max(0, latest - day)) / recencyHalfLifeDays)
    }

    /// Days since 1970-01-01 of an ISO date `YYYY-MM-DD` (proleptic Gregorian); nil when it is not one.
    static func dayNumber(_ iso: String) -> Int? {
        let parts = iso.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
        // Howard Hinnant's days_from_civil.
        let y = parts[1] <= 2 ? parts[0] - 1 : parts[0]
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (parts[1] + 9) % 12
        let doy = (153 * mp + 2) / 5 + parts[2] - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// A comparable's weight: condition × match, sales above asking prices, ranges down.
    func weight(of item: Comparable) -> Double {
        PriceEstimator.conditionWeight(item.condition) * max(0.05, min(1, item.match))
            * (item.sold ? 1 : activeWeight) * (item.ranged ? rangeWeight : 1)
    }

    /// All comparables in one currency: the configured base if every other one has a rate to it,
    /// else the most common one; listings that cannot be converted are left out.
    func convert(_ items: [Comparable], preferring preferred: String? = nil) -> (items: [Comparable], currency: String?) {
        guard !items.isEmpty else { return ([], nil) }
        var counts: [String: Int] = [:]
        for item in items { counts[item.currency, default: 0] += 1 }
        // Ties go to the preferred (retail) currency, then alphabetically, so the answer is stable.
        let majority = counts.max { a, b in
            if a.value != b.value { return a.value < b.value }
            if (a.key == preferred) != (b.key == preferred) { return b.key == preferred }
            return a.key > b.key
        }?.key
        let target = base ?? majority
        guard let target else { return ([], nil) }
        let converted = items.compactMap { item -> Comparable? in
            if item.currency == target { return item }
            guard let from = rates[item.currency] else { return nil }
            let to = target == base ? 1 : rates[target]
            guard let to, to > 0 else { return nil }
            var copy = item
            copy.amount = item.amount * from / to
            copy.currency = target
            return copy
        }
        return (converted, target)
    }

    /// The configured rate of each of `currencies` (but `target`) into `target`, where there is one.
    func conversions(from currencies: Set<String>, to target: String) -> [String: Double] {
        var out: [String: Double] = [:]
        for currency in currencies where currency != target {
            guard let from = rates[currency], let to = target == base ? 1 : rates[target], to > 0 else { continue }
            out[currency] = from / to
        }
        return out
    }

    /// Tukey fences (1.5 × IQR) on log price.
    static func withoutOutliers(_ items: [Comparable]) -> [Comparable] {
        guard items.count >= 4 else { return items }
        let logs = items.map { Foundation.log($0.amount) }.sorted()
        let q1 = quantile(logs, 0.25), q3 = quantile(logs, 0.75)
        let iqr = q3 - q1
        let low = q1 - 1.5 * iqr, high = q3 + 1.5 * iqr
        return items.filter { let l = Foundation.log($0.amount); return l >= low && l <= high }
    }

    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down)), upper = Int(position.rounded(.up))
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
    }

    /// The value where the cumulative weight first reaches `q` of the total (midpoint rule).
    static func weightedQuantile(_ values: [(value: Double, weight: Double)], _ q: Double) -> Double {
        let sorted = values.filter { $0.weight > 0 }.sorted { $0.value < $1.value }
        guard !sorted.isEmpty else { return 0 }
        let total = sorted.reduce(0) { $0 + $1.weight }
        var cumulative = 0.0
        for (i, item) in sorted.enumerated() {
            let midpoint = (cumulative + item.weight / 2) / total
            if midpoint >= q {
                guard i > 0 else { return item.value }
                let previous = sorted[i - 1]
                let previousMid = (cumulative - previous.weight / 2) / total
                let t = (q - previousMid) / (midpoint - previousMid)
                return previous.value + (item.value - previous.value) * max(0, min(1, t))
            }
            cumulative += item.weight
        }
        return sorted[sorted.count - 1].value
    }

    static func round(_ value: Double, places: Int) -> Double {
        let factor = pow(10, Double(places))
        return (value * factor).rounded() / factor
    }

    /// Money as the wire wants it: a decimal string with two places.
    public static func money(_ value: Double) -> String {
        String(format: "%.2f", value)
    }
}
