import Pipeline

/// The marketplace profile of a Browse API (its description's `search_provider`): keyword search
/// in the marketplace of one country, listings marked with that provider. Stands in for the page
/// profiles the description names (`stands_in_for`; a sold-listings page still runs: the Browse
/// API answers with active listings only).
public struct MarketplaceAPISearch: ListingSearch {
    /// The profile name of the shipped Browse API's search.
    public static var profileName: String { MarketplaceAPIs.browse.searchProvider }
    public let api: BrowseAPIClient
    /// The API's marketplace ID (the site profile's `api_site_ids`).
    public let marketplace: String

    public init(api: BrowseAPIClient, marketplace: String) {
        self.api = api
        self.marketplace = marketplace
    }

    /// The search for a country's marketplace, nil where the API has none.
    public init?(api: BrowseAPIClient, country: String) {
        guard let marketplace = api.marketplace(forCountry: country) else { return nil }
        self.init(api: api, marketplace: marketplace)
    }

    public var name: String { api.configuration.description.searchProvider }
    public var standsInFor: [String] { api.configuration.description.standsInFor }

    /// Throws StageError: `api_rate_limited` (with `retryAfterSeconds`), `api_unauthorized`,
    /// `api_failed`, `network_unavailable`. No results is `[]`.
    /// A query that is a GTIN (8 to 14 digits, as the photo's barcode gives it) is asked as `gtin`.
    public func listings(_ query: String, timeoutMillis: Int) throws -> [SearchListing] {
        let digits = query.filter { !$0.isWhitespace }
        if (8...14).contains(digits.count), digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) {
            return try listings(query: nil, gtin: digits, timeoutMillis: timeoutMillis)
        }
        return try listings(query: query, gtin: nil, timeoutMillis: timeoutMillis)
    }

    public func listings(query: String?, gtin: String?, limit: Int? = nil, timeoutMillis: Int) throws(StageError) -> [SearchListing] {
        do {
            return try api.search(query: query, gtin: gtin, marketplace: marketplace, limit: limit, timeoutMillis: timeoutMillis)
                .items.map { SearchListing($0, provider: name) }
        } catch {
            throw error.stageError
        }
    }

    /// As search hits, for callers that read listings themselves.
    public func search(_ query: String, timeoutMillis: Int) throws -> [SearchHit] {
        try listings(query, timeoutMillis: timeoutMillis).map { listing in
            SearchHit(title: listing.title, link: listing.link,
                      priceText: listing.price.map { "\(listing.currency ?? "") \($0)".trimmed }, wear: listing.wear,
                      thumbnail: listing.thumbnail, shippingText: listing.shipping.map { "\(listing.currency ?? "") \($0)".trimmed })
        }
    }
}
