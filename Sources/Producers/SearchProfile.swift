import JSON

/// How to run one search site in the browser, as data: the results URL for a query, what a
/// bot check looks like, when the results are complete and how to read them. Shipped: a web
/// search for `producer-url` (`Resources/web-search.json`) and an eBay search for
/// `second-hand-offers` (`Resources/ebay-search.json`); a file can replace either.
public struct SearchProfile: Sendable {
    public var name: String
    /// The results URL with `{query}` where the percent-encoded query goes.
    public var urlTemplate: String
    public var blockedURLContains: [String]
    public var blockedTextContains: [String]
    public var blockedSelectors: [String]
    public var itemSelector: String
    public var emptySelectors: [String]
    public var emptyTextContains: [String]
    /// Results are complete when the item count has not changed for this long...
    public var stableMillis: Int
    public var pollMillis: Int
    /// ...or this long after the page loaded.
    public var maxWaitMillis: Int
    /// The extraction script's argument (selectors, limits).
    public var extractOptions: JSONValue
    public var extractScript: String

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// The shipped web search (DuckDuckGo's HTML results).
    public static func webSearch() throws(Invalid) -> SearchProfile {
        try parse(PackageResources.web_search_json, origin: "the built-in web search profile")
    }

    /// The shipped eBay search.
    public static func ebaySearch() throws(Invalid) -> SearchProfile {
        try parse(PackageResources.ebay_search_json, origin: "the built-in eBay search profile")
    }

    public static var webSearchText: String { String(decoding: PackageResources.web_search_json, as: UTF8.self) }
    public static var ebaySearchText: String { String(decoding: PackageResources.ebay_search_json, as: UTF8.self) }

    public static func load(path: String) throws(Invalid) -> SearchProfile {
        guard let bytes = LensProfile.readFile(path, limit: 1 << 20) else {
            throw Invalid(description: "cannot read the search profile \(path)")
        }
        return try parse(bytes, origin: path)
    }

    public static func parse(_ bytes: [UInt8], origin: String) throws(Invalid) -> SearchProfile {
        let root: JSONValue
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            throw Invalid(description: "\(origin): \(error)")
        }
        func value(_ path: [String]) -> JSONValue? {
            var current: JSONValue? = root
            for key in path { current = current?[key] }
            return current
        }
        func string(_ path: String..., default fallback: String? = nil) throws(Invalid) -> String {
            if let text = value(path)?.stringValue, !text.isEmpty { return text }
            if let fallback { return fallback }
            throw Invalid(description: "\(origin): \(path.joined(separator: ".")) must be a non-empty string")
        }
        func strings(_ path: String...) throws(Invalid) -> [String] {
            guard let found = value(path) else { return [] }
            guard let items = found.arrayValue, items.allSatisfy({ $0.stringValue != nil }) else {
                throw Invalid(description: "\(origin): \(path.joined(separator: ".")) must be a list of strings")
            }
            return items.compactMap(\.stringValue)
        }
        func int(_ path: String..., default fallback: Int) throws(Invalid) -> Int {
            guard let found = value(path) else { return fallback }
            guard let number = found.intValue, number >= 0 else {
                throw Invalid(description: "\(origin): \(path.joined(separator: ".")) must be a whole number ≥ 0")
            }
            return number
        }

        let template = try string("url")
        guard template.contains("{query}"), template.hasPrefix("http://") || template.hasPrefix("https://") else {
            throw Invalid(description: "\(origin): url must be an http(s) URL with {query} in it")
        }
        let item = try string("results", "item_selector")
        let selectors = value(["extract", "selectors"])?.objectValue ?? JSONObject()
        guard selectors["link"]?.stringValue != nil else {
            throw Invalid(description: "\(origin): extract.selectors.link is missing")
        }
        var options: JSONObject = [
            "item": .string(item), "max": .int(try int("extract", "max_results", default: 10)),
            "unwrap": .array(try strings("extract", "unwrap_params").map(JSONValue.string)),
            "skip": .array(try strings("extract", "skip_titles").map(JSONValue.string)),
        ]
        for key in ["link", "title", "price", "wear", "thumbnail", "snippet"] {
            options[key] = selectors[key]?.stringValue.map(JSONValue.string) ?? .null
        }
        let script: String
        switch value(["extract", "script"]) {
        case .string(let text): script = text
        case .array(let lines): script = lines.compactMap(\.stringValue).joined(separator: "\n")
        default: script = SearchScripts.extract
        }
        return SearchProfile(
            name: try string("name", default: "search"), urlTemplate: template,
            blockedURLContains: try strings("blocked", "url_contains"), blockedTextContains: try strings("blocked", "text_contains"),
            blockedSelectors: try strings("blocked", "selectors"), itemSelector: item,
            emptySelectors: try strings("results", "empty_selectors"), emptyTextContains: try strings("results", "empty_text"),
            stableMillis: try int("results", "stable_ms", default: 300), pollMillis: max(10, try int("results", "poll_ms", default: 100)),
            maxWaitMillis: try int("results", "max_wait_ms", default: 8_000), extractOptions: .object(options), extractScript: script)
    }

    /// The same profile at another results URL (the demo world's replicas).
    public func searching(at template: String) -> SearchProfile {
        var copy = self
        copy.urlTemplate = template
        return copy
    }

    /// The results URL for `query`.
    public func url(for query: String) -> String {
        urlTemplate.replacing("{query}", with: SearchProfile.encode(query))
    }

    /// Query encoding: unreserved characters kept, spaces as `+`, everything else `%XX`.
    static func encode(_ text: String) -> String {
        var out = ""
        let hex = Array("0123456789ABCDEF")
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(Character(Unicode.Scalar(byte)))
            case UInt8(ascii: " "): out.append("+")
            default: out += "%\(hex[Int(byte >> 4)])\(hex[Int(byte & 15)])"
            }
        }
        return out
    }
}
