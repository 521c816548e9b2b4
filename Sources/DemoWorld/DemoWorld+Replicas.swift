/// What the command line's demo wiring needs to point the pipeline at the world's replicas,
/// without naming the sites they stand in for.
extension DemoWorld {
    /// The marketplace API replica: where it answers and the application keyset it accepts.
    public var marketplaceAPIReplica: (url: String, clientID: String, clientSecret: String) {
        (ebayAPIURL, EbayAPIReplica.clientID, EbayAPIReplica.clientSecret)
    }

    /// Where the world's search replicas answer, by the shipped profile each stands in for.
    public static let searchReplicaURLTemplates = [
        "duckduckgo": ShopCatalog.webSearchURLTemplate,
        "ebay": ShopCatalog.ebaySearchURLTemplate,
        "ebay-sold": ShopCatalog.ebaySoldSearchURLTemplate,
    ]
}
