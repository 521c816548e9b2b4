/// Just enough URL handling to compare a product's URL with the page's.
enum URLText {
    /// Host and path, lower-cased, without scheme, "www.", query, fragment or trailing slash.
    static func comparable(_ url: String) -> String {
        var text = Substring(url.trimmingSpaces().lowercased())
        if let scheme = text.firstRange(of: "://") { text = text[scheme.upperBound...] }
        if text.hasPrefix("//") { text = text.dropFirst(2) }
        if text.hasPrefix("www.") { text = text.dropFirst(4) }
        if let cut = text.firstIndex(where: { $0 == "?" || $0 == "#" }) { text = text[..<cut] }
        while text.hasSuffix("/") { text = text.dropLast() }
        return String(text)
    }

    /// The path without host: relative and absolute URLs of one page then compare equal.
    static func path(_ url: String) -> String {
        let hostAndPath = comparable(url)
        if url.trimmingSpaces().hasPrefix("/"), !url.hasPrefix("//") { return hostAndPath }
        guard let slash = hostAndPath.firstIndex(of: "/") else { return "" }
        return String(hostAndPath[slash...])
    }

    /// Query parameter values and path segments: where shops put variant ids and SKUs.
    static func queryValues(_ url: String) -> [String] {
        var values: [String] = []
        if let query = url.split(separator: "?", maxSplits: 1).dropFirst().first {
            for pair in query.split(whereSeparator: { $0 == "&" || $0 == "#" }) {
                if let value = pair.split(separator: "=", maxSplits: 1).dropFirst().first { values.append(String(value)) }
            }
        }
        return values
    }
}
