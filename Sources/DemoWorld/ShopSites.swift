import HTTP

/// The demo world's web of `.example` sites (maker shops, marketplaces, the web search),
/// answered by host: the DemoWorld server is their HTTP forward proxy.
struct ShopSites: Sendable {
    /// Whether the eBay-like search also lists the listing that never answers.
    let hangingListing: Bool

    enum Answer {
        case page(HTTPResponse)
        /// Never answered: the client's own time limit has to end the wait.
        case hang
    }

    /// Whether `host` belongs to the shop web (everything under `.example`).
    static func serves(_ host: String) -> Bool { host.hasSuffix(".example") }

    func answer(host: String, path: String, query: String?) -> Answer {
        let params = Escape.form(query)
        func param(_ name: String) -> String? { params.first { $0.0 == name }?.1 }

        if path.hasPrefix("/img/") && path.hasSuffix(".png") {
            let id = String(path.dropFirst(5).dropLast(4))
            guard let product = LensCatalog.product(id) else { return .page(notFound) }
            return .page(HTTPResponse(status: .ok, headers: HTTPHeaders([("Content-Type", "image/png")]), body: product.thumbnail))
        }
        if let entry = ShopCatalog.entries.first(where: { $0.maker.host == host }) {
            guard path == entry.maker.path else { return .page(notFound) }
            return .page(html(MakerPages.page(entry.maker, entry: entry)))
        }
        if host == ShopCatalog.webSearchHost {
            if path == "/html/" || path == "/html" {
                let query = param("q") ?? ""
                if param("_demo") == "bot-check" { return .page(html(MarketplacePages.webSearchBotCheck())) }
                return .page(html(MarketplacePages.webSearch(query: query, results: ShopSites.webResults(query))))
            }
            if path == "/l/", let target = param("uddg") { return .page(redirect(target)) }
            return .page(notFound)
        }
        guard let market = DemoMarketplace.allCases.first(where: { $0.host == host }) else { return .page(notFound) }
        if market == .ebay && path == "/sch/i.html" {
            let query = param("_nkw") ?? ""
            if param("_demo") == "bot-check" { return .page(html(MarketplacePages.ebayBotCheck())) }
            let entry = ShopSites.product(for: query)
            if param("LH_Sold") == "1" {
                return .page(html(MarketplacePages.ebaySearch(query: query, results: entry.map { $0.listings.filter(\.inSoldSearch) } ?? [],
                                                              hangingFor: nil)))
            }
            let found = entry.map { $0.listings.filter(\.inSearch) } ?? []
            return .page(html(MarketplacePages.ebaySearch(query: query, results: found, hangingFor: hangingListing ? entry : nil)))
        }
        if "http://\(host)\(path)" == ShopCatalog.hangingListingURL { return .hang }
        for entry in ShopCatalog.entries {
            for listing in entry.listings where listing.marketplace == market {
                let paths = [listing.url, listing.alternateURL].compactMap { $0 }.map { $0.dropFirst("http://\(host)".count) }
                if paths.contains(where: { $0 == path }) { return .page(html(MarketplacePages.listing(listing))) }
            }
        }
        return .page(notFound)
    }

    /// Web results for a query: a reseller, a review, a marketplace listing, the maker's page
    /// and the maker's page of another model, in the order a search engine might rank them.
    static func webResults(_ query: String) -> [(title: String, url: String, snippet: String)] {
        guard let entry = ShopSites.product(for: query) else { return [] }
        let slug = LensCatalog.slug("\(entry.brand) \(entry.name)")
        let otherPath = "/p/" + LensCatalog.slug(entry.otherModelName)
        var results: [(title: String, url: String, snippet: String)] = [
            ("\(entry.brand) \(entry.name) – Nordic Living", "http://www.nordicliving.example/products/\(slug)",
             "Buy the \(entry.brand) \(entry.name) with free delivery."),
            ("\(entry.brand) \(entry.name) review: worth it?", "http://designjournal.example/reviews/\(slug)",
             "We lived with the \(entry.name) for a month."),
        ]
        if let listing = entry.listings.first(where: { $0.kind == .offer && $0.marketplace == .ebay }) {
            results.append((listing.title + " | eBay", listing.url, "Pre-owned. \(listing.price) USD."))
        }
        results.append((entry.maker.title, entry.maker.url, entry.maker.facts.description))
        results.append(("\(entry.otherModelName) | \(entry.brand)", "http://\(entry.maker.host)\(otherPath)",
                        "The \(entry.otherModelName) from \(entry.brand)."))
        return results
    }

    /// The catalog product a search query is about: the one sharing the most words with it,
    /// its brand among them.
    static func product(for query: String) -> ShopEntry? {
        // A GTIN (8 to 14 digits) finds the product whose maker page states it, as real shops index it.
        let digits = query.filter { $0 != " " }
        if (8...14).contains(digits.count), digits.allSatisfy(\.isNumber) {
            let unpadded = { (s: String) in String(s.drop { $0 == "0" }) }
            return ShopCatalog.entries.first { unpadded($0.maker.facts.gtin) == unpadded(digits) }
        }
        let words = Set(tokens(query))
        var best: (entry: ShopEntry, score: Int)?
        for entry in ShopCatalog.entries {
            let brand = Set(tokens(entry.brand))
            guard !brand.isDisjoint(with: words) else { continue }
            let score = Set(tokens(entry.name)).intersection(words).count
            if score > 0, score > (best?.score ?? 0) { best = (entry, score) }
        }
        return best?.entry
    }

    private static func tokens(_ text: String) -> [String] {
        text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
    }

    private var notFound: HTTPResponse { .error(.notFound, code: "not_found", message: "no such page in the demo world") }

    private func html(_ text: String) -> HTTPResponse {
        HTTPResponse(status: .ok, headers: HTTPHeaders([("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")]),
                     body: Array(text.utf8))
    }

    private func redirect(_ location: String) -> HTTPResponse {
        HTTPResponse(status: HTTPStatus(302, "Found"), headers: HTTPHeaders([("Location", location), ("Cache-Control", "no-store")]))
    }
}
