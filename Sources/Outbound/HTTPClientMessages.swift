import JSON
import Secrets

/// One outbound request. Limits left nil take the client's defaults.
public struct HTTPClientRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(String, String)]
    public var body: [UInt8]?
    public var timeoutMillis: Int?
    public var maxResponseBytes: Int?
    public var followRedirects: Bool
    /// The proxy for this request: nil leaves libcurl's default (the `*_proxy` environment), "" means none.
    public var proxy: String? = nil
    /// Over the byte cap, keep the first bytes and mark the response `truncated` instead of failing.
    public var truncatesLargeBodies = false
    /// When set, every address the request connects to is checked when the socket is opened (after
    /// DNS, so rebinding cannot switch it), on a fresh connection (a pooled one was checked by someone else's rule).
    public var addressPolicy: AddressPolicy? = nil

    public init(method: String = "GET", url: String, headers: [(String, String)] = [], body: [UInt8]? = nil,
                timeoutMillis: Int? = nil, maxResponseBytes: Int? = nil, followRedirects: Bool = true)
    {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeoutMillis = timeoutMillis
        self.maxResponseBytes = maxResponseBytes
        self.followRedirects = followRedirects
    }

    /// A request whose body is `value` serialised, with a JSON content type.
    public static func json(_ method: String, _ url: String, _ value: JSONValue, timeoutMillis: Int? = nil) -> HTTPClientRequest {
        HTTPClientRequest(method: method, url: url, headers: [("Content-Type", "application/json; charset=utf-8")],
                          body: value.serializedBytes(), timeoutMillis: timeoutMillis)
    }
}

/// A complete response (after any redirects).
public struct HTTPClientResponse: Sendable {
    public var status: Int
    /// Header fields of the final response, names as sent.
    public var headers: [(String, String)]
    public var body: [UInt8]
    /// The URL that answered, after redirects.
    public var url: String
    /// The body stopped at the byte cap (only for requests that ask for `truncatesLargeBodies`).
    public var truncated = false
    /// Where a 3xx answer points, resolved against `url` (for callers that follow redirects themselves).
    public var redirectURL: String? = nil

    public init(status: Int, headers: [(String, String)], body: [UInt8], url: String) {
        self.status = status
        self.headers = headers
        self.body = body
        self.url = url
    }

    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.0.lowercased() == lower }?.1
    }

    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed as JSON.
    public func json() throws(HTTPClientError) -> JSONValue {
        do {
            return try JSONParser.parse(body)
        } catch {
            throw HTTPClientError(.badResponse, "\(MessageURL.display(url)) answered \(status) with a body that is not JSON (\(error))")
        }
    }
}
