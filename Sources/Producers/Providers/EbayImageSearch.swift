/// The visual-search provider `ebay-image`: the photo goes to the Browse API's
/// `search_by_image`, and the items it answers with become matches (title, listing link, price):
/// they name the product and bring prices at once, with no Google involved.
public struct EbayImageSearch: VisualSearch {
    public static let providerName = "ebay-image"
    public let api: EbayBrowseAPI

    public init(api: EbayBrowseAPI) { self.api = api }

    public var name: String { EbayImageSearch.providerName }
    public var timeoutMillis: Int { api.configuration.timeoutMillis }
    /// `search_by_image` takes no keywords.
    public var refinesWithText: Bool { false }

    public func search(_ query: VisualQuery, timeoutMillis: Int) throws(VisualSearchFailure) -> VisualSearchResult {
        // A country without an eBay site of its own searches eBay's US marketplace.
        let marketplace = EbayBrowseAPI.marketplace(forCountry: query.locale.country) ?? "EBAY_US"
        let page: EbaySearchPage
        do {
            page = try api.searchByImage(query.bytes, marketplace: marketplace, timeoutMillis: timeoutMillis)
        } catch {
            var failure = VisualSearchFailure(provider: name, code: error.code, message: error.message, retryable: error.retryable)
            failure.retryAfterSeconds = error.retryAfterSeconds
            throw failure
        }
        return VisualSearchResult(matches: EbayImageSearch.matches(page, provider: name))
    }

    static func matches(_ page: EbaySearchPage, provider: String) -> [LensMatch] {
        var out: [LensMatch] = []
        for item in page.items {
            guard let domain = LensLinks.domain(item.link) else { continue }
            out.append(LensMatch(title: item.title, link: item.link, domain: domain, source: "eBay", price: item.price,
                                 currency: item.currency, thumbnail: item.image, position: out.count + 1, provider: provider))
        }
        return out
    }
}
