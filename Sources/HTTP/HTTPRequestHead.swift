/// How a request's body is delimited (RFC 9112 section 6).
public enum HTTPBodyFraming: Sendable, Equatable {
    case none
    case length(Int)
    case chunked
}

/// The request line and header section of one request.
public struct HTTPRequestHead: Sendable, Equatable {
    /// The method exactly as sent (methods are case-sensitive).
    public var method: String
    /// The request-target exactly as sent (origin form `/path?query`, absolute form, `*`, or authority form).
    public var target: String
    public var versionMajor: Int
    public var versionMinor: Int
    public var headers: HTTPHeaders
    /// Whether the connection may carry another request after this one (version and `Connection`).
    public var keepAlive: Bool
    public var framing: HTTPBodyFraming
    /// `Expect: 100-continue` was sent.
    public var expectsContinue: Bool

    public init(method: String, target: String, versionMajor: Int = 1, versionMinor: Int = 1,
                headers: HTTPHeaders = HTTPHeaders(), keepAlive: Bool = true,
                framing: HTTPBodyFraming = .none, expectsContinue: Bool = false)
    {
        self.method = method
        self.target = target
        self.versionMajor = versionMajor
        self.versionMinor = versionMinor
        self.headers = headers
        self.keepAlive = keepAlive
        self.framing = framing
        self.expectsContinue = expectsContinue
    }

    /// The path part of the target, without the query. (Byte searches: the router asks for it
    /// on every request, and "?" and "#" are ASCII, so each is on a character boundary.)
    public var path: Substring {
        let target = originForm
        let end = target.utf8.firstIndex(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) ?? target.endIndex
        // Only an absolute form has an empty path (`http://host?x`): it means `/`.
        return end == target.startIndex ? "/" : target[..<end]
    }

    /// The query part of the target, without `?`, or nil.
    public var query: Substring? {
        let target = originForm
        guard let q = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return nil }
        let rest = target[target.index(after: q)...]
        return rest[..<(rest.utf8.firstIndex(of: UInt8(ascii: "#")) ?? rest.endIndex)]
    }

    /// The target as a path and query: the target itself in origin form, and what follows the
    /// authority in absolute form (`http://host/healthz` → `/healthz`; an empty path is `/`).
    /// RFC 9112 §3.2.2: a server must accept the absolute form.
    public var originForm: Substring {
        guard let start = absoluteFormPathStart else { return target[...] }
        return start == target.endIndex ? "/" : target[start...]
    }

    /// The authority of an absolute-form target (`http://host:8080/x` → `host:8080`), else nil.
    public var absoluteAuthority: Substring? {
        guard let start = absoluteFormAuthorityStart else { return nil }
        let end = absoluteFormPathStart ?? target.endIndex
        return target[start..<end]
    }

    /// The host the request names: an absolute-form target's authority, which RFC 9112 §3.2.2
    /// puts in place of the `Host` header, else the `Host` header.
    public var host: String? {
        absoluteAuthority.map(String.init) ?? headers["Host"]
    }

    /// Why the target is not one this server can answer (400), or nil. Origin form, `*` and a
    /// CONNECT's authority pass; anything else must be an `http` or `https` absolute URL with a
    /// host and without user info.
    public var targetProblem: String? {
        if target.utf8.first == UInt8(ascii: "/") || target == "*" || method == "CONNECT" { return nil }
        guard let start = absoluteFormAuthorityStart else {
            return "the request target must be a path (/…) or an http(s) URL"
        }
        let authority = target[start..<(absoluteFormPathStart ?? target.endIndex)]
        if authority.isEmpty { return "the request target's URL has no host" }
        if authority.utf8.contains(UInt8(ascii: "@")) { return "user info in the request target is refused" }
        return nil
    }

    /// Where the authority starts in an `http://` or `https://` target (scheme in any case).
    private var absoluteFormAuthorityStart: String.Index? {
        let bytes = target.utf8
        guard let first = bytes.first, first != UInt8(ascii: "/") else { return nil }  // origin form: the usual case
        for scheme in ["http://", "https://"] {
            let prefix = scheme.utf8
            if bytes.count >= prefix.count && zip(bytes, prefix).allSatisfy({ (($0 >= 0x41 && $0 <= 0x5A) ? $0 | 0x20 : $0) == $1 }) {
                return target.utf8.index(target.startIndex, offsetBy: prefix.count)
            }
        }
        return nil
    }

    /// Where the path (or, with no path, the query) starts after an absolute form's authority;
    /// the end of the target when nothing follows the authority.
    private var absoluteFormPathStart: String.Index? {
        guard let start = absoluteFormAuthorityStart else { return nil }
        let rest = target.utf8[start...]
        return rest.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? target.endIndex
    }
}
