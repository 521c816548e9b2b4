/// A URL as an error message or a log line may show it: scheme, host, port and path. The
/// userinfo, the query and the fragment are left out: that is where API keys, passwords and
/// signatures travel (`…@` and `?…` mark a userinfo and a query that were there). Every message built from a URL uses this.
public enum MessageURL {
    /// Longest shown path, in characters (a message names a page, it does not copy it).
    static let maxCharacters = 200

    public static func display(_ url: some StringProtocol) -> String {
        let text = Substring(url)
        var rest = text[...]
        var out = ""
        if let scheme = text.firstRange(of: "://") {
            out += text[..<scheme.upperBound]
            rest = text[scheme.upperBound...]
            let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
            var authority = rest[..<authorityEnd]
            if let at = authority.lastIndex(of: "@") {
                out += "…@"
                authority = authority[authority.index(after: at)...]
            }
            out += authority
            rest = rest[authorityEnd...]
        }
        let pathEnd = rest.firstIndex { $0 == "?" || $0 == "#" } ?? rest.endIndex
        let path = rest[..<pathEnd]
        out += path.prefix(maxCharacters)
        if path.count > maxCharacters { out += "…" }
        if rest[pathEnd...].first == "?" { out += "?…" }
        return out
    }
}
