import Dispatch
import Extraction
import JSON
import Pipeline
import Synchronization

/// `second-hand-offers`: listings of the product on second-hand marketplaces, from the Lens
/// matches and from marketplace searches run in the browser. Each listing's page is read for
/// price, currency, condition and title; lots, broken items, copies and other models are
/// dropped and the same listing reached twice is kept once. Pages are read a few at a time,
/// each within its own time cap, so a page that never answers costs its cap and no more.
public struct SecondHandOffersProducer: KeyedProducer {
    public static let key = StageKey<Report>("second-hand-offers")
    let pages: any PageSource
    let searches: [any SearchService]
    /// The marketplace searches for a run's country (its locale); nil: `searches` for every run.
    let searchesForCountry: (@Sendable (String) -> [any SearchService])?
    let limits: Limits

    public struct Limits: Sendable {
        /// Listing pages read per run.
        public var maxPages = 12
        /// Time one listing page may take.
        public var pageTimeoutMillis = 4_000
        /// Listing pages read at once.
        public var parallelPages = 4
        /// Time one marketplace search may take.
        public var searchTimeoutMillis = 20_000
        /// Left at the end of the stage's time for building the result.
        public var reserveMillis = 250
        /// Sold listings kept from results pages (they need no page read).
        public var maxSold = 40

        public init() {}
    }

    /// `searches`: marketplace search profiles run in the browser (empty: Lens matches only);
    /// `searchesForCountry`: the ones for a run's country instead, when the marketplaces depend on it.
    public init(pages: any PageSource, searches: [any SearchService],
                searchesForCountry: (@Sendable (String) -> [any SearchService])? = nil, limits: Limits = Limits()) {
        self.pages = pages
        self.searches = searches
        self.searchesForCountry = searchesForCountry
        self.limits = limits
    }

    public func run(_ inputs: StageInputs, _ context: StageContext) throws -> Report {
        let matches = inputs.optional(LensMatchesProducer.key) ?? []  // none when identified from the photo
        let identity = try inputs.get(IdentificationProducer.key)
        // The request's country (field, query, Accept-Language or the default) picks the marketplaces.
        let markets = searchesForCountry?(context.image.locale.country) ?? searches
        let report = collect(matches: matches, identity: identity, searches: markets, timeoutMillis: context.remainingMillis)
        // A marketplace that showed a bot check is reported on its own; the others still count.
        for failure in report.failures {
            var payload: JSONObject = ["marketplace": .string(failure.marketplace), "code": .string(failure.error.code),
                                       "message": .string(failure.error.message), "retryable": .bool(failure.error.retryable)]
            if !failure.error.artifacts.isEmpty { payload["artifacts"] = .array(failure.error.artifacts.map(JSONValue.string)) }
            if let wait = failure.error.retryAfterSeconds { payload["retry_after_seconds"] = .int(wait) }
            context.emit("marketplace-error", .object(payload))
        }
        if report.offers.isEmpty, let blocked = report.failures.first(where: { $0.error.code == "marketplace_blocked" }) {
            throw blocked.error
        }
        context.emit(stage, .array(report.offers.map(\.json)))
        return report
    }

    /// The offers, the listings left out and the sell-through counts, and the marketplace
    /// searches that failed (a bot check, a timeout).
    public struct Report: Sendable {
        public var offers: [SecondHandOffer]
        public var failures: [(marketplace: String, error: StageError)]
        public var tally = OfferTally()
    }

    /// A listing to read, with what the link was shown with.
    struct Lead: Sendable {
        var link: String
        var title: String
        var priceText: String?
        var price: String?
        var currency: String?
        var wear: String?
        var thumbnail: String?
        var marketplace: Marketplace
        var priceMax: String?
        var shipping: String?
        var partialMatch = false
    }

    public func offers(matches: [LensMatch], identity: ProductIdentity, timeoutMillis: Int) -> [SecondHandOffer] {
        collect(matches: matches, identity: identity, timeoutMillis: timeoutMillis).offers
    }

    public func collect(matches: [LensMatch], identity: ProductIdentity, searches: [any SearchService]? = nil,
                        timeoutMillis: Int) -> Report {
        let searches = searches ?? self.searches
        let deadline = Clock.millis() + timeoutMillis
        var failures: [(marketplace: String, error: StageError)] = []
        var tally = OfferTally()
        var soldOffers: [SecondHandOffer] = []
        var leads: [Lead] = matches.compactMap { match in
            guard let market = MarketplaceCatalog.marketplace(for: match.link), market.isListing(match.link) else { return nil }
            return Lead(link: match.link, title: match.title, price: match.price, currency: match.currency,
                        thumbnail: match.thumbnail.flatMap { $0.hasPrefix("data:") ? nil : $0 }, marketplace: market)
        }
        // The Lens leads are read whatever the searches find (they come first in the page budget):
        // their pages are read beside the searches rather than after them.
        let early = Array(OfferMerge.uniqueLeads(leads.filter { SecondHandOffersProducer.rejection($0, identity) == nil }).prefix(limits.maxPages))
        let earlyReads = startReading(early, until: deadline - limits.reserveMillis)
        let searchLeft = deadline - Clock.millis() - limits.pageTimeoutMillis - limits.reserveMillis
        let searchTimeout = min(searchLeft, limits.searchTimeoutMillis)
        let query = identity.query
        // The APIs first, all at once: one that answered stands in for its page profiles, which then do not run.
        let apis = searchLeft > 0 ? searches.compactMap { $0 as? any ListingSearch } : []
        let apiAnswers = ReaderThreads.map(apis.count, until: deadline - limits.reserveMillis) { i in
            Result { try apis[i].listings(query, timeoutMillis: searchTimeout) }
        }
        // Offers an API gave whole (no page to read), and the page profiles it answered in place of.
        var apiOffers: [SecondHandOffer] = []
        var answeredFor = Set<String>()
        for (api, answer) in zip(apis, apiAnswers) {
            switch answer {
            case .success(let listings):
                apiOffers += listings.compactMap { SecondHandOffersProducer.listedOffer($0, identity: identity, tally: &tally) }
                answeredFor.formUnion(api.standsInFor)
            case .failure(let error):
                failures.append((api.name, error as? StageError ?? StageError(code: "api_failed", message: "\(error)")))
            case nil:
                failures.append((api.name, StageError(code: "api_failed", message: "\(api.name): no answer within the stage's time", retryable: true)))
            }
        }
        // Then the page searches, all at once (each in a browser session of its own).
        let pageSearches = searchLeft > 0 ? searches.filter { !($0 is any ListingSearch) && !answeredFor.contains($0.name) } : []
        let searchAnswers = ReaderThreads.map(pageSearches.count, until: deadline - limits.reserveMillis) { i in
            Result { try pageSearches[i].search(query, timeoutMillis: searchTimeout) }
        }
        for (search, answer) in zip(pageSearches, searchAnswers) {
            // A failed search leaves the Lens leads and the other searches; the stage reports what it could read.
            let hits: [SearchHit]
            switch answer {
            case .success(let found): hits = found
            case .failure(let error):
                failures.append((search.name, error as? StageError ?? StageError(code: "search_failed", message: "\(error)")))
                continue
            case nil:
                failures.append((search.name, StageError(code: "search_timeout", message: "\(search.name): no answer within the stage's time",
                                                         retryable: true)))
                continue
            }
            if hits.contains(where: \.degraded) {
                // Read by the fallback reader: the listings count, and the stream says the profile is stale.
                failures.append((search.name, StageError(code: "profile_stale", message: "\(search.name): the profile's item selector "
                    + "found no listings; \(hits.count) were read around the item links (a layout change?)", retryable: false)))
            }
            for hit in hits {
                guard let market = MarketplaceCatalog.marketplace(for: hit.link), market.isListing(hit.link) else { continue }
                let listing = SearchListing(hit)
                if listing.ended { continue }  // neither an offer nor a sale
                let why = listing.condition == "for_parts" ? .forParts
                    : OfferFilter.rejection(title: listing.title, wear: listing.wear, producer: identity.producer, model: identity.model,
                                            partialMatch: listing.partialMatch)
                if let why, why != .partialMatch {
                    tally.reject(why)
                    continue
                }
                // The sell-through counts the product's own listings, sold and for sale, on the pages read.
                if why == nil { if listing.sold { tally.sold += 1 } else { tally.active += 1 } }
                if listing.sold {
                    // A sale price straight from the results page: evidence for the estimate, never a current offer.
                    if soldOffers.count < limits.maxSold, let offer = SecondHandOffersProducer.soldOffer(listing) {
                        soldOffers.append(offer)
                    }
                    continue
                }
                leads.append(Lead(link: hit.link, title: listing.title, priceText: hit.priceText, price: listing.price,
                                  currency: listing.currency, wear: listing.wear, thumbnail: hit.thumbnail, marketplace: market,
                                  priceMax: listing.priceMax, shipping: listing.shipping, partialMatch: listing.partialMatch))
            }
        }
        let fromAPI = Set(apiOffers.map { OfferMerge.key($0.link) })
        leads = leads.filter {
            let why = SecondHandOffersProducer.rejection($0, identity)
            if let why { tally.reject(why) }  // Lens leads: search leads were checked above
            return why == nil && !fromAPI.contains(OfferMerge.key($0.link))
        }
        // Looser matches are read last: the page budget goes to the product first.
        leads = Array(OfferMerge.uniqueLeads(leads.filter { !$0.partialMatch } + leads.filter(\.partialMatch)).prefix(limits.maxPages))

        let waitUntil = deadline - limits.reserveMillis
        // The pages read early, then the rest (at most `parallelPages` at a time throughout).
        var byLink: [String: ListingPage] = [:]
        for (lead, page) in zip(early, earlyReads.wait(until: waitUntil)) { byLink[lead.link] = page }
        let readEarly = Set(early.map(\.link))
        let unread = leads.filter { !readEarly.contains($0.link) }
        for (lead, page) in zip(unread, readAll(unread, until: waitUntil)) { byLink[lead.link] = page }
        let read = leads.map { byLink[$0.link] }
        let offers = zip(leads, read).compactMap { lead, page in page.flatMap { offer(lead, page: $0, identity: identity) } }
        return Report(offers: OfferMerge.uniqueOffers(apiOffers + offers + soldOffers), failures: failures, tally: tally)
    }

    /// An API's listing as a current offer, when it is the product and not a sale or parts;
    /// what is left out is counted in `tally` as the page readers' listings are.
    static func listedOffer(_ listing: SearchListing, identity: ProductIdentity, tally: inout OfferTally) -> SecondHandOffer? {
        guard !listing.sold, !listing.ended, let amount = listing.price, let price = Money.decimal(amount, currency: listing.currency) else { return nil }
        if let why = listing.condition == "for_parts" ? .forParts
            : OfferFilter.rejection(title: listing.title, wear: listing.wear, producer: identity.producer, model: identity.model) {
            tally.reject(why)
            return nil
        }
        tally.active += 1
        var offer = SecondHandOffer(price: price, currency: listing.currency, link: listing.link, title: listing.title,
                                    wear: listing.wear ?? "", condition: listing.condition ?? "unknown",
                                    domain: LensLinks.domain(listing.link) ?? "", thumbnail: listing.thumbnail,
                                    shipping: listing.shipping)
        offer.provider = listing.provider
        return offer
    }

    /// A sold listing from a results page (already checked to be the product, or a looser match) as an offer marked sold.
    static func soldOffer(_ listing: SearchListing) -> SecondHandOffer? {
        guard let amount = listing.price, let price = Money.decimal(amount, currency: listing.currency) else { return nil }
        return SecondHandOffer(price: price, currency: listing.currency, link: listing.link, title: listing.title,
                               wear: listing.wear ?? "", condition: listing.condition ?? "unknown",
                               domain: LensLinks.domain(listing.link) ?? "", thumbnail: listing.thumbnail,
                               priceMax: listing.priceMax, shipping: listing.shipping, sold: true, soldDate: listing.soldDate,
                               partialMatch: listing.partialMatch)
    }

    /// Why a lead is left out (nil: it is read); a looser match is read, last.
    static func rejection(_ lead: Lead, _ identity: ProductIdentity) -> OfferRejection? {
        let why = OfferFilter.rejection(title: lead.title, wear: lead.wear, producer: identity.producer, model: identity.model,
                                        partialMatch: lead.partialMatch)
        return why == .partialMatch ? nil : why
    }

    /// Reads the leads' pages on `parallelPages` threads; a page not read by `until` (or
    /// within its own cap) is nil. Threads still waiting on a page finish in the background
    /// and their result is dropped.
    func readAll(_ leads: [Lead], until: Int) -> [ListingPage?] {
        startReading(leads, until: until).wait(until: until)
    }

    /// Pages being read in the background: `readAll` started now, collected later.
    struct PendingReads {
        let board: ReadBoard
        let group: DispatchGroup

        func wait(until: Int) -> [ListingPage?] {
            _ = group.wait(timeout: .now() + .milliseconds(max(0, until - Clock.millis())))
            return board.close()
        }
    }

    func startReading(_ leads: [Lead], until: Int) -> PendingReads {
        let board = ReadBoard(count: leads.count)
        let group = DispatchGroup()
        guard !leads.isEmpty else { return PendingReads(board: board, group: group) }
        let pageTimeout = limits.pageTimeoutMillis
        let pages = self.pages
        ReaderThreads.start(min(limits.parallelPages, leads.count), done: group) {
            while let index = board.next() {
                let cap = min(pageTimeout, until - Clock.millis())
                guard cap > 0 else { return }
                let lead = leads[index]
                guard let fetched = try? pages.fetchPage(lead.link, timeoutMillis: cap),
                      (200..<300).contains(fetched.status) else { continue }
                board.store(index, try? ListingPage(html: fetched.body, url: fetched.url, marketplace: lead.marketplace))
            }
        }
        return PendingReads(board: board, group: group)
    }

    /// The offer a listing page makes, or nil when it has no price or turns out not to be one.
    func offer(_ lead: Lead, page: ListingPage, identity: ProductIdentity) -> SecondHandOffer? {
        let title = page.record.name ?? lead.title
        let wear = page.wear ?? lead.wear ?? page.record.condition.map(\.rawValue)
        let currency = page.record.currency ?? lead.currency
        guard let amount = page.record.price ?? lead.price, let price = Money.decimal(amount, currency: currency) else { return nil }
        let why = OfferFilter.rejection(title: title, wear: wear, producer: identity.producer, model: identity.model,
                                        partialMatch: lead.partialMatch)
        guard why == nil || why == .partialMatch else { return nil }
        var condition = wear.map(lead.marketplace.condition(of:)) ?? "unknown"
        if condition == "unknown", let structured = page.record.condition { condition = structured.rawValue }
        if condition == "for_parts" { return nil }
        // A listing page that says it sold (a `SoldOut` mark) is a sale, not a current offer.
        let soldOut = page.record.availability == "SoldOut"
        return SecondHandOffer(price: price, currency: currency, link: lead.link, title: title, wear: wear ?? "",
                               condition: condition, domain: LensLinks.domain(lead.link) ?? "",
                               thumbnail: page.record.image ?? lead.thumbnail, priceMax: lead.priceMax, shipping: lead.shipping,
                               sold: soldOut, partialMatch: lead.partialMatch)
    }
}

/// A listing page, read.
struct ListingPage: Sendable {
    let record: ProductRecord
    /// The condition as the page words it, after one of the marketplace's labels.
    let wear: String?

    init(html: [UInt8], url: String, marketplace: Marketplace) throws {
        let document = try HTMLDocument(html: HTMLInput.decode(html))
        record = Extractor.extract(document: document, url: url)
        wear = PageFacts(document: document).value(for: marketplace.conditionLabels)
            ?? ListingPage.labelledValue(document, marketplace.conditionLabels)
    }

    /// A value an element names by its label in `data-testid` (`<span data-testid="商品の状態">`).
    static func labelledValue(_ document: HTMLDocument, _ labels: [String]) -> String? {
        let wanted = Set(labels.map { $0.lowercased() })
        for (index, node) in document.nodes.enumerated() where node.kind == .element {
            guard let id = node.attribute("data-testid"), wanted.contains(id.lowercased()) else { continue }
            let text = document.visibleText(of: index, limit: 200)
            if !text.isEmpty { return text }
        }
        return nil
    }
}

/// Hands out lead indices to the reading threads and collects their pages until closed.
final class ReadBoard: Sendable {
    private struct State {
        var next = 0
        var closed = false
        var pages: [ListingPage?]
    }
    private let state: Mutex<State>
    private let count: Int

    init(count: Int) {
        self.count = count
        state = Mutex(State(pages: Array(repeating: nil, count: count)))
    }

    func next() -> Int? {
        state.withLock { s in
            guard !s.closed, s.next < count else { return nil }
            defer { s.next += 1 }
            return s.next
        }
    }

    func store(_ index: Int, _ page: ListingPage?) {
        state.withLock { s in if !s.closed { s.pages[index] = page } }
    }

    /// The pages read so far; later results are dropped.
    func close() -> [ListingPage?] {
        state.withLock { s in
            s.closed = true
            return s.pages
        }
    }
}

/// The same listing reached twice (a tracking parameter, a slugged URL, a search's copy) is
/// one offer: listings are the same when their marketplace and item number are.
enum OfferMerge {
    /// `label|123456789012` (the site's registrable name and the item number), or the link without query and `www.` when it names no number.
    static func key(_ link: String) -> String {
        guard let parts = URLParts(link) else { return link }
        let host = DomainName.host(of: link) ?? parts.host
        let label = DomainName.label(ofHost: host)
        let runs = parts.path.split(whereSeparator: { !$0.isNumber }).filter { $0.count >= 6 }
        if let number = runs.last { return "\(label)|\(number)" }
        var path = parts.path.lowercased()
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return "\(host)\(path)"
    }

    static func uniqueLeads(_ leads: [SecondHandOffersProducer.Lead]) -> [SecondHandOffersProducer.Lead] {
        var seen: [String: Int] = [:]
        var out: [SecondHandOffersProducer.Lead] = []
        for lead in leads {
            if let index = seen[key(lead.link)] {
                // The later copy may know what the first did not.
                out[index].wear = out[index].wear ?? lead.wear
                out[index].thumbnail = out[index].thumbnail ?? lead.thumbnail
                out[index].price = out[index].price ?? lead.price
                out[index].currency = out[index].currency ?? lead.currency
                continue
            }
            seen[key(lead.link)] = out.count
            out.append(lead)
        }
        return out
    }

    /// Also one offer: the same title at the same price on the same site (a relisted item).
    static func uniqueOffers(_ offers: [SecondHandOffer]) -> [SecondHandOffer] {
        var seen = Set<String>()
        return offers.filter { offer in
            let sameItem = seen.insert("link " + key(offer.link)).inserted
            let sameText = seen.insert("text \(offer.domain)|\(offer.title.lowercased())|\(offer.price)|\(offer.currency ?? "")").inserted
            return sameItem && sameText
        }
    }
}

extension SecondHandOffer {
    /// One entry of the `second-hand-offers` payload.
    public var json: JSONValue {
        var object: JSONObject = [
            "price": .string(price), "link": .string(link), "title": .string(title), "wear": .string(wear),
            "currency": .optional(currency), "condition": .string(condition), "domain": .string(domain),
            "thumbnail": .optional(thumbnail), "sold": .bool(sold), "partial_match": .bool(partialMatch),
        ]
        if let priceMax { object["price_max"] = .string(priceMax) }
        if let shipping { object["shipping"] = .string(shipping) }
        if let soldDate { object["sold_date"] = .string(soldDate) }
        if let provider { object["provider"] = .string(provider) }
        return .object(object)
    }
}
