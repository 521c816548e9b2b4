import JSON

/// Brands the deterministic identification recognises, with the spellings titles use. Data, not
/// logic: `Resources/brands.json`, an entry per brand (canonical name, then lowercase aliases;
/// words are split at hyphens between letters, so "Ray-Ban" is "ray ban") and the product lines
/// that name their maker but belong to the model ("iPad").
public enum BrandCatalog {
    static let file: JSONValue = (try? JSONParser.parse(PackageResources.brands_json)) ?? .null

    static let entries: [(name: String, aliases: [String])] = named("brands", list: "aliases")

    /// Product lines: they name the maker, and stay part of the model ("Apple iPad Air").
    static let lines: [(name: String, lines: [String])] = named("lines", list: "lines").map { ($0.name, $0.aliases) }

    /// `[{"name": N, list: [...]}]` under `key`, in the file's order.
    private static func named(_ key: String, list: String) -> [(name: String, aliases: [String])] {
        (file[key]?.arrayValue ?? []).compactMap { entry in
            guard let name = entry["name"]?.stringValue else { return nil }
            return (name, (entry[list]?.arrayValue ?? []).compactMap(\.stringValue))
        }
    }

    /// Alias (lowercase, as tokens joined by spaces) → canonical name.
    static let byAlias: [String: String] = {
        var map: [String: String] = [:]
        for entry in entries { for alias in entry.aliases { map[alias] = entry.name } }
        return map
    }()

    /// Product line (lowercase words joined by spaces) → its maker.
    static let byLine: [String: String] = {
        var map: [String: String] = [:]
        for entry in lines { for line in entry.lines { map[line] = entry.name } }
        return map
    }()

    /// Longest alias or line in words, to bound the n-gram search.
    static let longestAlias: Int = (entries.flatMap(\.aliases) + lines.flatMap(\.lines))
        .map { $0.split(separator: " ").count }.max() ?? 1
}
