import Pipeline

/// The Lens start URL for a locale: Google reads the interface language from `hl` and the
/// country its results are for from `gl`.
enum LensLocaleURL {
    static func apply(_ url: String, _ locale: RunLocale) -> String {
        var base = url
        var fragment = ""
        if let hash = base.firstIndex(of: "#") {
            fragment = String(base[hash...])
            base = String(base[..<hash])
        }
        var query: [Substring] = []
        if let mark = base.firstIndex(of: "?") {
            query = base[base.index(after: mark)...].split(separator: "&").filter { !$0.hasPrefix("hl=") && !$0.hasPrefix("gl=") }
            base = String(base[..<mark])
        }
        query.append("hl=\(locale.language)")
        query.append("gl=\(locale.country.lowercased())")
        return base + "?" + query.joined(separator: "&") + fragment
    }
}
