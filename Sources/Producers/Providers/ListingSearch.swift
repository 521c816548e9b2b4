import Pipeline

/// A marketplace search that answers with whole listings (price, condition, shipping) from an
/// API, so the offers stage needs no listing page for them.
public protocol ListingSearch: SearchService {
    /// The page profiles this search stands in for: when it answered, they are not run.
    var standsInFor: [String] { get }
    func listings(_ query: String, timeoutMillis: Int) throws -> [SearchListing]
}
