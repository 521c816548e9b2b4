/// Every bound the request parser enforces, named so the server can configure them.
/// Exceeding one is an error with the status a client can act on (414, 431, 413, 400).
public struct HTTPParserLimits: Sendable {
    /// The whole request line. A longer target is 414; a longer method or version is 400.
    public var maxRequestLineBytes: Int
    /// The whole header section (and, separately, a chunked body's trailer section): 431.
    public var maxHeaderBytes: Int
    /// Header fields in the header section (and trailer fields): 431.
    public var maxHeaderCount: Int
    /// A Content-Length above it, or a chunked body growing above it: 413. nil = unbounded.
    public var maxBodyBytes: Int?
    /// One chunk-size line including its extensions (addition to the contract): 400.
    /// Extensions carry nothing we use, so they only need to be bounded.
    public var maxChunkLineBytes: Int

    public init(maxRequestLineBytes: Int = 8 * 1024, maxHeaderBytes: Int = 16 * 1024,
                maxHeaderCount: Int = 100, maxBodyBytes: Int? = nil,
                maxChunkLineBytes: Int = 4 * 1024)
    {
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
        self.maxChunkLineBytes = maxChunkLineBytes
    }
}
