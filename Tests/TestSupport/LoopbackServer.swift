import HTTP

extension HTTPServer {
    /// A one-loop server on a free loopback port that reads each request whole (bodies up to
    /// `maxBodyBytes`) and answers it with `respond`: the tests' stand-in sites, proxies and APIs.
    package static func loopback(maxBodyBytes: Int = 64 * 1024,
                                 _ respond: @escaping @Sendable (HTTPRequestHead, [UInt8], HTTPResponseWriter) -> Void) throws -> HTTPServer
    {
        try loopback(routing: { _, _ in BufferedRequestHandler(maxBodyBytes: maxBodyBytes, respond: respond) })
    }

    /// The same with a router of the test's own (to mount another server's handler).
    package static func loopback(routing router: @escaping @Sendable (HTTPRequestHead, HTTPResponseWriter) -> HTTPRequestHandler) throws
        -> HTTPServer
    {
        var configuration = HTTPServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.loopCount = 1
        return try HTTPServer(configuration: configuration, router: router)
    }
}
