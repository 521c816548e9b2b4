import Extraction
import JSON

/// A second-hand marketplace: how to recognise its links and how it words condition. Read from
/// the `marketplace` object of its file in `Resources/profiles` (see `MarketplaceCatalog`).
public struct Marketplace: Sendable {
    /// The file's name (`"name"`), as profiles and providers refer to it.
    public let id: String
    /// The name shown in events and diagnostics (`display_name`).
    public let name: String
    /// Registrable names it runs under in any country (a label matches the site under every TLD).
    public let labels: [String]
    /// Registrable names under which only its listing links are its (a site that is mostly something else).
    public let listingOnlyLabels: [String]
    /// Path fragments of a single listing (not a search or a shop page).
    public let listingPaths: [String]
    /// The site's own condition wording (lower-cased, whole text) → PROTOCOL.md condition; what
    /// is not here goes through `Extraction`'s ConditionNormalizer.
    public let conditionWords: [String: String]
    /// Labels the site prints before a listing's condition.
    public let conditionLabels: [String]
    /// Words that name the site in listing titles (noise for identification).
    public let titleWords: [String]
    /// Phrases the site adds to titles that name nothing (lower-case words).
    public let titlePhrases: [String]
    /// Country (ISO 3166 alpha-2, upper case) → the site's ID in its official API, where it has one.
    public let apiSiteIDs: [String: String]

    /// The normalised condition of a listing's wear text.
    public func condition(of wear: String) -> String {
        let text = Marketplace.words(wear)
        if let own = conditionWords[text] { return own }
        // The site's words inside a longer text ("Gebraucht – in Ordnung"), longest first.
        for phrase in conditionWords.keys.sorted(by: { $0.count > $1.count }) where !phrase.isEmpty {
            if (" " + text + " ").contains(" " + phrase + " "), let own = conditionWords[phrase], own != "used" { return own }
        }
        return ConditionNormalizer.normalize(wear).rawValue
    }

    /// Lower-cased words joined by single spaces, as `conditionWords` are written.
    static func words(_ text: String) -> String {
        text.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber) }).joined(separator: " ")
    }

    /// Whether `link` is a single listing on this marketplace.
    public func isListing(_ link: String) -> Bool {
        guard let path = URLParts(link)?.path.lowercased() else { return false }
        return listingPaths.contains { path.contains($0) }
    }

    /// The conditions a file may map wording to (PROTOCOL.md's `condition`).
    static let grades: Set<String> = ["new", "like_new", "very_good", "good", "acceptable", "used", "for_parts"]

    /// The `marketplace` object of a profile file; nil when the file has none.
    static func parse(_ root: JSONValue, origin: String) throws(SearchProfile.Invalid) -> Marketplace? {
        guard root["marketplace"] != nil else { return nil }
        let read = ProfileFieldReader(root: root, origin: origin) { SearchProfile.Invalid(description: $0) }
        var conditions: [String: String] = [:]
        for (wording, value) in read.value(["marketplace", "conditions"])?.objectValue?.entries ?? [] {
            guard let grade = value.stringValue, grades.contains(grade) else {
                throw SearchProfile.Invalid(description: "\(origin): marketplace.conditions.\(wording) must be one of \(grades.sorted().joined(separator: ", "))")
            }
            conditions[words(wording)] = grade
        }
        var siteIDs: [String: String] = [:]
        for (country, value) in read.value(["marketplace", "api_site_ids"])?.objectValue?.entries ?? [] {
            guard let id = value.stringValue, !id.isEmpty else {
                throw SearchProfile.Invalid(description: "\(origin): marketplace.api_site_ids.\(country) must be a non-empty string")
            }
            siteIDs[country.uppercased()] = id
        }
        let labels = try read.strings("marketplace", "registrable_names")
        let listingOnly = try read.strings("marketplace", "listing_only_names")
        let paths = try read.strings("marketplace", "listing_paths")
        guard !(labels.isEmpty && listingOnly.isEmpty), !paths.isEmpty else {
            throw SearchProfile.Invalid(description: "\(origin): a marketplace needs registrable_names (or listing_only_names) and listing_paths")
        }
        return Marketplace(
            id: try read.string("name"), name: try read.string("marketplace", "display_name"), labels: labels, listingOnlyLabels: listingOnly,
            listingPaths: paths.map { $0.lowercased() }, conditionWords: conditions, conditionLabels: try read.strings("marketplace", "condition_labels"),
            titleWords: try read.strings("marketplace", "title_words"), titlePhrases: try read.strings("marketplace", "title_phrases"),
            apiSiteIDs: siteIDs)
    }
}
