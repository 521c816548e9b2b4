/// A fetched page, possibly cut at the byte cap.
public struct FetchedPage: Sendable {
    /// The final URL, after redirects.
    public var url: String
    public var status: Int
    public var contentType: String?
    public var body: [UInt8]
    /// The page was longer than `FetchPolicy.maxBytes`; `body` is its beginning.
    public var truncated: Bool

    public init(url: String, status: Int, contentType: String?, body: [UInt8], truncated: Bool) {
        self.url = url
        self.status = status
        self.contentType = contentType
        self.body = body
        self.truncated = truncated
    }
}
