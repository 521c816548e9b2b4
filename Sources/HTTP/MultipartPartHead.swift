/// The header section of one form-data part, with the Content-Disposition parameters pulled out.
public struct MultipartPartHead: Sendable, Equatable {
    public var headers: HTTPHeaders
    /// `name` of `Content-Disposition: form-data`; nil when the part has none.
    public var name: String?
    /// `filename*` (RFC 5987/8187: charset, percent-decoding) if present, else `filename` with its
    /// quoted-string escapes `\"` and `\\` undone. A client-chosen string: NEVER used as a path.
    public var filename: String?
    public var contentType: String?

    public init(headers: HTTPHeaders, name: String? = nil, filename: String? = nil, contentType: String? = nil) {
        self.headers = headers
        self.name = name
        self.filename = filename
        self.contentType = contentType
    }
}
