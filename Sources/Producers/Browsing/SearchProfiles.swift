import JSON

/// The shipped search profiles (JSON files compiled into the binary) by name, and which of them
/// run by default: marketplaces by country, web searches in order.
public enum SearchProfiles {
    /// Name → the profile file's bytes.
    static let shipped: [(name: String, bytes: [UInt8])] = [
        ("ebay", PackageResources.ebay_json), ("ebay-sold", PackageResources.ebay_sold_json),
        ("kleinanzeigen", PackageResources.kleinanzeigen_json), ("mercari", PackageResources.mercari_json),
        ("depop", PackageResources.depop_json), ("vinted", PackageResources.vinted_json),
        ("duckduckgo", PackageResources.duckduckgo_json), ("duckduckgo-lite", PackageResources.duckduckgo_lite_json),
        ("bing", PackageResources.bing_json), ("brave", PackageResources.brave_json), ("startpage", PackageResources.startpage_json),
    ]

    public static var names: [String] { shipped.map(\.name) }

    /// Web searches tried in this order when none is configured (`--web-search-profile`).
    public static let defaultWebOrder = ["duckduckgo", "duckduckgo-lite", "bing", "brave"]

    /// A shipped profile's file text, for printing and editing.
    public static func text(_ name: String) -> String? {
        shipped.first { $0.name == name }.map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    /// Each shipped profile parsed once: the marketplaces are chosen per run by its country, and
    /// the files never change while the process runs.
    private static let parsed: [String: Result<SearchProfile, SearchProfile.Invalid>] = Dictionary(
        uniqueKeysWithValues: shipped.map { entry in
            (entry.name, Result { () throws(SearchProfile.Invalid) in
                try SearchProfile.parse(entry.bytes, origin: "the built-in \(entry.name) profile")
            })
        })

    /// A shipped profile by name.
    public static func named(_ name: String) throws(SearchProfile.Invalid) -> SearchProfile {
        guard let profile = parsed[name] else {
            throw SearchProfile.Invalid(description: "no shipped search profile is called \(name) (shipped: \(names.joined(separator: ", ")))")
        }
        return try profile.get()
    }

    /// A shipped profile's name, or the path of a profile file.
    public static func resolve(_ nameOrPath: String) throws(SearchProfile.Invalid) -> SearchProfile {
        if shipped.contains(where: { $0.name == nameOrPath }) { return try named(nameOrPath) }
        return try SearchProfile.load(path: nameOrPath)
    }

    /// The marketplace profiles that run for `country` by default, in order: the ones
    /// `MarketplaceCatalog.searchProfiles(forCountry:)` names that are on by default and have a
    /// site there.
    public static func marketplaces(forCountry country: String) throws(SearchProfile.Invalid) -> [SearchProfile] {
        var out: [SearchProfile] = []
        for name in MarketplaceCatalog.searchProfiles(forCountry: country) {
            let profile = try named(name)
            if profile.enabledByDefault && profile.serves(country: country) { out.append(profile) }
        }
        return out
    }

    /// The base profile's bytes for `"extends": NAME`.
    static func base(_ name: String) -> [UInt8]? { shipped.first { $0.name == name }?.bytes }
}

extension SearchProfile {
    /// The shipped web search (DuckDuckGo's HTML results).
    public static func webSearch() throws(Invalid) -> SearchProfile { try SearchProfiles.named("duckduckgo") }

    /// The shipped eBay search.
    public static func ebaySearch() throws(Invalid) -> SearchProfile { try SearchProfiles.named("ebay") }
}
