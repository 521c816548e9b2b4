import JSON

/// How to run one search site in the browser, as data: the results URL for a query (per
/// country where the site has one per country), its consent step, what a bot check and an empty
/// result look like, when the results are complete and how to read each result. Shipped
/// profiles are JSON files in `Resources/profiles` (see `SearchProfiles`); a file can replace any.
public struct SearchProfile: Sendable {
    /// A marketplace search gives listings (`second-hand-offers`); a web search gives pages
    /// (`producer-url`).
    public enum Kind: String, Sendable {
        case marketplace
        case web
    }

    public var name: String
    public var kind: Kind
    /// The results URL with `{query}` where the percent-encoded query goes.
    public var urlTemplate: String
    /// Country code (upper case) → results URL of that country's site.
    public var countryURLTemplates: [String: String]
    /// The real saved pages (`../peer-data/real-pages/...`) this profile was checked against;
    /// empty: none, and the profile is off unless asked for by name.
    public var checkedAgainst: [String]
    /// Whether the profile runs without being asked for by name (a profile no real page covers does not).
    public var enabledByDefault: Bool
    var signals: PageSignals
    /// The extraction script's argument (field specs, unwrap rules, limits).
    public var extractOptions: JSONValue
    public var extractScript: String
    /// Patterns (regular expressions) removed from titles after extraction: the site's badges
    /// and screen-reader texts in every language its pages use.
    public var titleNoise: [String]
    /// The query the search canary checks the profile with (`canary_query`; one every shipped site answers).
    public var canaryQuery = SearchProfile.defaultCanaryQuery
    public static let defaultCanaryQuery = "nintendo switch"
    /// Where it runs among the shipped profiles of its kind that run by default (lower first; `order`).
    public var order = SearchProfile.defaultOrder
    public static let defaultOrder = 100

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    public var itemSelector: String { signals.itemSelector }
    /// The site's item links (a regular expression on the link's path), for the fallback reader; nil: none.
    public var itemLinkPattern: String? { signals.itemLinkPattern }

    /// The fallback reader's argument: the item-link pattern with the extraction limits and field specs.
    var fallbackOptions: JSONValue {
        var options = extractOptions.objectValue ?? JSONObject()
        options["itemLink"] = signals.itemLinkPattern.map(JSONValue.string) ?? .null
        return .object(options)
    }
    public var maxResults: Int { extractOptions["max"]?.intValue ?? 10 }

    public static func load(path: String) throws(Invalid) -> SearchProfile {
        guard let bytes = LensProfile.readFile(path, limit: 1 << 20) else {
            throw Invalid(description: "cannot read the search profile \(path)")
        }
        return try parse(bytes, origin: path)
    }

    public static func parse(_ bytes: [UInt8], origin: String) throws(Invalid) -> SearchProfile {
        var root: JSONValue
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            throw Invalid(description: "\(origin): \(error)")
        }
        // `"extends": NAME`: a shipped profile's fields, with this file's top-level fields in their place.
        if let baseName = root["extends"]?.stringValue {
            guard let baseBytes = SearchProfiles.base(baseName), baseName != root["name"]?.stringValue,
                  var merged = (try? JSONParser.parse(baseBytes))?.objectValue else {
                throw Invalid(description: "\(origin): extends names no shipped profile (\(baseName))")
            }
            for (key, value) in root.objectValue?.entries ?? [] where key != "extends" { merged[key] = value }
            root = .object(merged)
        }
        let read = ProfileFieldReader(root: root, origin: origin) { SearchProfile.Invalid(description: $0) }
        let template = try read.string("url")
        try read.checkTemplate(template, field: "url")
        var byCountry: [String: String] = [:]
        for (country, value) in read.value(["country_urls"])?.objectValue?.entries ?? [] {
            guard let url = value.stringValue else { throw Invalid(description: "\(origin): country_urls.\(country) must be a string") }
            try read.checkTemplate(url, field: "country_urls.\(country)")
            byCountry[country.uppercased()] = url
        }
        let kindName = try read.string("kind", default: "marketplace")
        guard let kind = Kind(rawValue: kindName) else {
            throw Invalid(description: "\(origin): kind must be \"marketplace\" or \"web\", not \"\(kindName)\"")
        }
        let item = try read.string("results", "item_selector")
        let fields = read.value(["extract", "selectors"])?.objectValue ?? JSONObject()
        guard let link = fields["link"], link.stringValue != nil || link["selector"]?.stringValue != nil else {
            throw Invalid(description: "\(origin): extract.selectors.link is missing")
        }
        var options: JSONObject = [
            "item": .string(item), "max": .int(try read.int("extract", "max_results", default: 10)),
            "skip": .array(try read.strings("extract", "skip_titles").map(JSONValue.string)),
        ]
        for key in SearchProfile.fieldNames {
            guard let spec = fields[key] else {
                options[key] = .null
                continue
            }
            guard spec.stringValue != nil || spec["selector"]?.stringValue != nil else {
                throw Invalid(description: "\(origin): extract.selectors.\(key) must be a selector or an object with a selector")
            }
            options[key] = spec
        }
        var unwrap: [JSONValue] = []
        for rule in read.value(["extract", "unwrap"])?.arrayValue ?? [] {
            guard rule["host"]?.stringValue != nil, rule["param"]?.stringValue != nil else {
                throw Invalid(description: "\(origin): each extract.unwrap rule needs a host and a param")
            }
            unwrap.append(rule)
        }
        options["unwrap"] = .array(unwrap)
        // Where the site's looser matches start: `{selector, match}` (see SearchScripts).
        if let boundary = read.value(["extract", "partial_after"]) {
            guard boundary["selector"]?.stringValue != nil else {
                throw Invalid(description: "\(origin): extract.partial_after needs a selector")
            }
            options["partial_after"] = boundary
        } else {
            options["partial_after"] = .null
        }
        let script: String
        switch read.value(["extract", "script"]) {
        case .string(let text): script = text
        case .array(let lines): script = lines.compactMap(\.stringValue).joined(separator: "\n")
        default: script = SearchScripts.extract
        }
        let signals = PageSignals(
            blockedURLContains: try read.strings("blocked", "url_contains"), blockedTextContains: try read.strings("blocked", "text_contains"),
            blockedSelectors: try read.strings("blocked", "selectors"),
            consentURLContains: try read.strings("consent", "url_contains"),
            consentDetectSelectors: try read.strings("consent", "detect_selectors"),
            consentAcceptSelectors: try read.strings("consent", "accept_selectors"),
            consentTimeoutMillis: try read.int("consent", "timeout_ms", default: 8_000),
            itemSelector: item, itemLinkPattern: try read.pattern("results", "item_link"),
            minItemLinks: max(1, try read.int("results", "min_item_links", default: 3)), emptySelectors: try read.strings("results", "empty_selectors"),
            emptyTextContains: try read.strings("results", "empty_text"),
            stableMillis: try read.int("results", "stable_ms", default: 300), pollMillis: max(10, try read.int("results", "poll_ms", default: 100)),
            maxWaitMillis: try read.int("results", "max_wait_ms", default: 8_000))
        let checked = try read.strings("checked_against")
        let enabled = read.value(["enabled_by_default"])?.boolValue ?? !checked.isEmpty
        var profile = SearchProfile(
            name: try read.string("name", default: "search"), kind: kind, urlTemplate: template, countryURLTemplates: byCountry,
            checkedAgainst: checked, enabledByDefault: enabled, signals: signals, extractOptions: .object(options),
            extractScript: script, titleNoise: try read.strings("extract", "title_noise"))
        profile.canaryQuery = try read.string("canary_query", default: SearchProfile.defaultCanaryQuery)
        profile.order = try read.int("order", default: SearchProfile.defaultOrder)
        return profile
    }

    /// What each result may carry; a profile names a selector (or `{selector, match, pick, attr,
    /// drop, scope}`) for those its site shows.
    static let fieldNames = ["link", "title", "price", "shipping", "wear", "sold", "thumbnail", "snippet"]

    /// The same profile at another results URL (the demo world's replicas, a saved page).
    public func searching(at template: String) -> SearchProfile {
        var copy = self
        copy.urlTemplate = template
        copy.countryURLTemplates = [:]
        return copy
    }

    /// The same profile reading at most `count` results (`search --max`).
    public func readingAtMost(_ count: Int) -> SearchProfile {
        var copy = self
        if var options = extractOptions.objectValue {
            options["max"] = .int(max(1, count))
            copy.extractOptions = .object(options)
        }
        return copy
    }

    /// Whether the profile has a site for `country` (a profile without per-country sites serves all).
    public func serves(country: String) -> Bool {
        countryURLTemplates.isEmpty || countryURLTemplates[country.uppercased()] != nil
    }

    /// The results URL for `query`, on the site of `country` where the profile has one.
    public func url(for query: String, country: String? = nil) -> String {
        let template = country.flatMap { countryURLTemplates[$0.uppercased()] } ?? urlTemplate
        return template.replacing("{query}", with: SearchProfile.encode(query))
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
