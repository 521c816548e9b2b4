import Secrets

/// One reading of a page-supplied URL for both libcurl and the browser: URLs that the two
/// could read differently are refused before either sees them. libcurl reads
/// `http://127.0.0.1:80\@example.com/` as example.com, Chromium (WHATWG rules: `\` is `/`) as
/// 127.0.0.1; user info, whitespace, control characters and scheme-relative tricks are where
/// such disagreements live, and no real product page needs them.
public enum NavigationURL {
    /// Why `url` is refused, or nil when it is a plain http(s) URL whose host libcurl and the
    /// WHATWG reading agree on.
    public static func refusal(_ url: String) -> String? {
        let shown = MessageURL.display(url)
        guard let scheme = URLParts.scheme(of: url), scheme == "http" || scheme == "https" else {
            return "\(shown): only http and https pages are opened"
        }
        if url.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "\\") }) {
            return "\(shown): whitespace, control characters or a backslash make the host ambiguous"
        }
        let afterScheme = url.dropFirst(scheme.count + 1)
        guard afterScheme.hasPrefix("//") else { return "\(shown): no // after the scheme" }
        let authority = afterScheme.dropFirst(2).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if authority.contains("@") { return "\(shown): user info in a URL is refused (parsers disagree on the host)" }
        guard let (host, _) = try? ProxyRequestHead.split(authority, defaultPort: scheme == "https" ? 443 : 80) else {
            return "\(shown): the host cannot be read unambiguously"
        }
        guard let parts = URLParts(url), parts.host.lowercased() == host else {
            return "\(shown): libcurl reads another host than \(host)"
        }
        return nil
    }
}
