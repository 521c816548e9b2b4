import JSON

/// The shipped profile files (every JSON file in `Resources/profiles`, compiled into the binary)
/// by name: the search profiles, and the marketplaces that are only recognised in links. Which
/// searches run by default is data too: each profile's `order`, `enabled_by_default` and, for a
/// marketplace, the countries it has a site in (`country_urls`).
public enum SearchProfiles {
    /// Every shipped file's JSON by its name (the file name), parsed once; a file that is not
    /// JSON is left out (a test keeps every shipped file valid).
    static let documents: [(name: String, bytes: [UInt8], root: JSONValue)] = shippedProfileFiles.compactMap { file in
        guard let root = try? JSONParser.parse(file.bytes) else { return nil }
        return (file.name, file.bytes, root)
    }

    /// The files that describe a search: a results URL of their own or one they extend.
    static let shipped: [(name: String, bytes: [UInt8])] = documents.filter { $0.root["url"] != nil || $0.root["extends"] != nil }
        .map { ($0.name, $0.bytes) }

    public static var names: [String] { shipped.map(\.name) }

    /// The shipped profiles of `kind`, in their `order`.
    public static func ordered(_ kind: SearchProfile.Kind) -> [SearchProfile] {
        shipped.compactMap { try? named($0.name) }.filter { $0.kind == kind }
            .sorted { ($0.order, $0.name) < ($1.order, $1.name) }
    }

    /// Web searches tried in this order when none is configured (`--web-search-profile`): the
    /// web profiles on by default.
    public static var defaultWebOrder: [String] { ordered(.web).filter(\.enabledByDefault).map(\.name) }

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

    /// The marketplace profiles that run for `country` by default, in their `order`: those on by
    /// default with a site there.
    public static func marketplaces(forCountry country: String) throws(SearchProfile.Invalid) -> [SearchProfile] {
        var out: [SearchProfile] = []
        for entry in shipped {
            let profile = try named(entry.name)
            if profile.kind == .marketplace && profile.enabledByDefault && profile.serves(country: country) { out.append(profile) }
        }
        return out.sorted { ($0.order, $0.name) < ($1.order, $1.name) }
    }

    /// The shipped profiles of `kind` for help texts, in their order: `a, b; c is off by default`.
    public static func helpList(_ kind: SearchProfile.Kind) -> String {
        let all = ordered(kind)
        let on = all.filter(\.enabledByDefault).map(\.name).joined(separator: ", ")
        let off = all.filter { !$0.enabledByDefault }.map(\.name)
        guard !off.isEmpty else { return on }
        return on + "; " + off.joined(separator: ", ") + (off.count == 1 ? " is" : " are") + " off by default: ask for it by name"
    }

    /// The base profile's bytes for `"extends": NAME`.
    static func base(_ name: String) -> [UInt8]? { shipped.first { $0.name == name }?.bytes }
}
