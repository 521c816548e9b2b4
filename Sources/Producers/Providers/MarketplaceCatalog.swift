import JSON

/// The second-hand marketplaces the offers stage knows: every shipped profile file with a
/// `marketplace` object (`Resources/profiles`). Adding a file teaches it one; a file that also
/// has a search part is searched too (see `SearchProfiles.marketplaces(forCountry:)`).
public enum MarketplaceCatalog {
    /// Every marketplace file read, or the first that is not valid (a test keeps the shipped ones valid).
    static let loaded: Result<[Marketplace], SearchProfile.Invalid> = Result { () throws(SearchProfile.Invalid) in
        var found: [Marketplace] = []
        // A file's own object only: a profile that extends another (sold listings) is the same marketplace.
        for file in SearchProfiles.documents where file.root["extends"] == nil {
            if let market = try Marketplace.parse(file.root, origin: "the built-in \(file.name) profile") { found.append(market) }
        }
        return found
    }

    public static var all: [Marketplace] { (try? loaded.get()) ?? [] }

    /// The marketplace of the shipped file `id` (its `name`).
    public static func named(_ id: String) -> Marketplace? { all.first { $0.id == id } }

    /// Words that name a marketplace in listing titles.
    static var titleWords: Set<String> { Set(all.flatMap(\.titleWords)) }

    /// Phrases marketplaces add to titles, as words.
    static var titlePhrases: [[String]] { all.flatMap(\.titlePhrases).map { $0.split(separator: " ").map(String.init) } }

    /// The marketplace `link` belongs to, by its registrable name in any TLD; a site that is
    /// mostly something else only by a listing's path.
    public static func marketplace(for link: String) -> Marketplace? {
        guard let host = DomainName.host(of: link) else { return nil }
        let label = DomainName.label(ofHost: host)
        if let found = all.first(where: { $0.labels.contains(label) }) { return found }
        return all.first { $0.listingOnlyLabels.contains(label) && $0.isListing(link) }
    }
}
