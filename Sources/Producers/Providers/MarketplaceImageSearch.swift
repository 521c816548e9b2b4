/// The visual-search provider of a Browse API (its description's `image_provider`): the photo goes
/// to the API's search by image, and the items it answers with become matches (title, listing
/// link, price): they name the product and bring prices at once, with no Google involved.
public struct MarketplaceImageSearch: VisualSearch {
    /// The provider name of the shipped Browse API's search by image.
    public static var providerName: String { MarketplaceAPIs.browse.imageProvider }
    public let api: BrowseAPIClient

    public init(api: BrowseAPIClient) { self.api = api }

    public var name: String { api.configuration.description.imageProvider }
    public var timeoutMillis: Int { api.configuration.timeoutMillis }
    /// `search_by_image` takes no keywords.
    public var refinesWithText: Bool { false }

    public func search(_ query: VisualQuery, timeoutMillis: Int) throws(VisualSearchFailure) -> VisualSearchResult {
        // A country without a site of its own searches the description's fallback marketplace.
        let marketplace = api.marketplace(forCountry: query.locale.country) ?? api.configuration.description.fallbackMarketplace
        let page: BrowseSearchPage
        do {
            page = try api.searchByImage(query.bytes, marketplace: marketplace, timeoutMillis: timeoutMillis)
        } catch {
            var failure = VisualSearchFailure(provider: name, code: error.code, message: error.message, retryable: error.retryable)
            failure.retryAfterSeconds = error.retryAfterSeconds
            throw failure
        }
        return VisualSearchResult(matches: MarketplaceImageSearch.matches(page, provider: name, source: api.configuration.description.owner))
    }

    static func matches(_ page: BrowseSearchPage, provider: String, source: String) -> [LensMatch] {
        var out: [LensMatch] = []
        for item in page.items {
            guard let domain = LensLinks.domain(item.link) else { continue }
            out.append(LensMatch(title: item.title, link: item.link, domain: domain, source: source, price: item.price,
                                 currency: item.currency, thumbnail: item.image, position: out.count + 1, provider: provider))
        }
        return out
    }
}
