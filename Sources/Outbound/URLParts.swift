import CCurl

/// The scheme and host of a URL as libcurl's own parser reads them, so the guard sees the URL the
/// way the transfer will.
struct URLParts {
    let scheme: String
    /// Without IPv6 brackets; empty when the URL has none.
    let host: String

    init?(_ url: String) {
        guard let handle = curl_url() else { return nil }
        defer { curl_url_cleanup(handle) }
        // Any scheme parses, so `file:` or `gopher:` gets a clear refusal rather than a parse error.
        guard curl_url_set(handle, CURLUPART_URL, url, UInt32(CURLU_NON_SUPPORT_SCHEME)) == CURLUE_OK else { return nil }
        func part(_ which: CURLUPart) -> String? {
            var value: UnsafeMutablePointer<CChar>?
            guard curl_url_get(handle, which, &value, 0) == CURLUE_OK, let value else { return nil }
            defer { curl_free(value) }
            return String(cString: value)
        }
        guard let scheme = part(CURLUPART_SCHEME) else { return nil }
        self.scheme = scheme.lowercased()
        var host = part(CURLUPART_HOST) ?? ""
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.host = host
    }

    /// The scheme (RFC 3986: a letter, then letters, digits, `+`, `-`, `.`), lowercased; nil when there is none.
    static func scheme(of url: String) -> String? {
        let trimmed = url.utf8.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        guard let colon = trimmed.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let scheme = trimmed[..<colon]
        func isLetter(_ b: UInt8) -> Bool { (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) }
        guard let first = scheme.first, isLetter(first),
              scheme.allSatisfy({ isLetter($0) || (0x30...0x39).contains($0) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E })
        else { return nil }
        return String(decoding: scheme, as: UTF8.self).lowercased()
    }
}
