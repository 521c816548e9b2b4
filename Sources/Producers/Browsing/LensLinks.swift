/// Cleans the links Lens cards carry: Google redirects (`/url?q=`, `/imgres?imgrefurl=`,
/// `/aclk?adurl=`) are unwrapped to their target, tracking parameters and text fragments are
/// dropped, so the link is the product page itself.
public enum LensLinks {
    /// Query parameters that only track the click.
    static let trackingNames: Set<String> = [
        "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "fbclid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid",
        "srsltid", "ved", "usg", "sa", "ei", "oq", "gs_lcp", "sclient", "_ga", "_gl", "ref_src", "spm", "scm",
        // Marketplaces' own click tracking (item links carry these).
        "_trkparms", "_trksid", "_from", "hash", "mkevt", "mkcid", "mkrid", "campid", "toolid", "customid",
    ]

    public static func clean(_ link: String) -> String {
        var current = link
        for _ in 0..<3 {  // a redirect can wrap another redirect
            guard let target = unwrap(current) else { break }
            current = target
        }
        return stripTracking(current)
    }

    /// The target of a redirect link, or nil when `link` is not one.
    static func unwrap(_ link: String) -> String? {
        guard let parts = URLParts(link) else { return nil }
        let keys: [String]
        switch parts.path {
        case "/url", "/local_url": keys = ["q", "url"]
        case "/imgres": keys = ["imgrefurl"]
        case "/aclk", "/pagead/aclk": keys = ["adurl"]
        default: return nil
        }
        for key in keys {
            if let value = parts.queryValue(key), value.hasPrefix("http://") || value.hasPrefix("https://") { return value }
        }
        return nil
    }

    static func stripTracking(_ link: String) -> String {
        guard var parts = URLParts(link) else { return link }
        parts.query = parts.query.map { query in
            query.split(separator: "&").filter { pair in
                let name = (pair.split(separator: "=", maxSplits: 1).first.map { URLParts.decode($0) ?? String($0) } ?? "").lowercased()
                return !name.isEmpty && !name.hasPrefix("utm_") && !trackingNames.contains(name)
            }.joined(separator: "&")
        }
        if parts.query?.isEmpty == true { parts.query = nil }
        if parts.fragment?.hasPrefix(":~:") == true { parts.fragment = nil }  // scroll-to-text highlights
        return parts.text
    }

    /// The link's host without `www.` (what PROTOCOL.md calls the domain).
    public static func domain(_ link: String) -> String? {
        guard let host = URLParts(link)?.host.lowercased(), !host.isEmpty else { return nil }
        return host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
    }
}

/// An absolute http(s) URL taken apart just enough to edit its query.
struct URLParts {
    var scheme: String
    var authority: String
    var path: String
    var query: String?
    var fragment: String?

    init?(_ text: String) {
        guard let schemeEnd = text.firstRange(of: "://") else { return nil }
        scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        var rest = text[schemeEnd.upperBound...]
        if let hash = rest.firstIndex(of: "#") {
            fragment = String(rest[rest.index(after: hash)...])
            rest = rest[..<hash]
        }
        if let mark = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: mark)...])
            rest = rest[..<mark]
        }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        authority = String(rest[..<slash])
        path = slash == rest.endIndex ? "/" : String(rest[slash...])
        guard !authority.isEmpty else { return nil }
    }

    var host: String {
        var hostPort = authority.split(separator: "@").last.map(String.init) ?? authority
        if hostPort.hasPrefix("[") { return String(hostPort.prefix { $0 != "]" }.dropFirst()) }
        if let colon = hostPort.lastIndex(of: ":") { hostPort = String(hostPort[..<colon]) }
        return hostPort
    }

    var text: String {
        var out = "\(scheme)://\(authority)\(path)"
        if let query { out += "?" + query }
        if let fragment { out += "#" + fragment }
        return out
    }

    func queryValue(_ name: String) -> String? {
        guard let query else { return nil }
        for pair in query.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if URLParts.decode(kv[0]) == name { return kv.count > 1 ? URLParts.decode(kv[1]) : "" }
        }
        return nil
    }

    /// `%XX` and `+` decoded; nil for malformed escapes.
    static func decode<S: StringProtocol>(_ text: S) -> String? {
        var out: [UInt8] = []
        var bytes = text.utf8.makeIterator()
        while let byte = bytes.next() {
            if byte == UInt8(ascii: "%") {
                guard let hi = bytes.next(), let lo = bytes.next(),
                      let value = UInt8(String(decoding: [hi, lo], as: UTF8.self), radix: 16) else { return nil }
                out.append(value)
            } else {
                out.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            }
        }
        return String(validating: out, as: UTF8.self)
    }
}
