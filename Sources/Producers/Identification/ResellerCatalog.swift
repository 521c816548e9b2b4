import JSON

/// Sites that sell or write about other makers' products: retailers, department stores,
/// price comparison, review and social sites. A page there is never the maker's own page
/// (unless the maker's name is the site's, as a store's own devices on its own domain). Data:
/// `Resources/resellers.json`, registrable names in groups; add one to teach it a site.
public enum ResellerCatalog {
    public static let labels: Set<String> = {
        guard let groups = (try? JSONParser.parse(PackageResources.resellers_json))?.objectValue else { return [] }
        return Set(groups.entries.filter { $0.key != "about" }.flatMap { ($0.value.arrayValue ?? []).compactMap(\.stringValue) })
    }()

    /// Whether the link's site is a retailer, comparison, review or social site.
    public static func isReseller(_ link: String) -> Bool {
        guard let label = DomainName.label(ofLink: link) else { return false }
        return labels.contains(label)
    }
}
