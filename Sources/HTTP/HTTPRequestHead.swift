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
        let end = target.utf8.firstIndex(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) ?? target.endIndex
        return target[..<end]
    }

    /// The query part of the target, without `?`, or nil.
    public var query: Substring? {
        guard let q = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return nil }
        let rest = target[target.index(after: q)...]
        return rest[..<(rest.utf8.firstIndex(of: UInt8(ascii: "#")) ?? rest.endIndex)]
    }
}
