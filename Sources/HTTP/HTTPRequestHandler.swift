/// Handles one request. The router creates it when the request head has arrived; it lives on
/// the connection's loop thread and answers through the `HTTPResponseWriter`.
public protocol HTTPRequestHandler: AnyObject {
    /// Body bytes as they arrive; valid only during the call. Not called for bodiless requests.
    func receiveBody(_ bytes: UnsafeRawBufferPointer, _ writer: HTTPResponseWriter)
    /// The whole request has been received.
    func receiveEnd(_ writer: HTTPResponseWriter)
    /// The connection closed before the handler finished its response.
    func connectionClosed()
}

extension HTTPRequestHandler {
    public func receiveBody(_ bytes: UnsafeRawBufferPointer, _ writer: HTTPResponseWriter) {}
    public func connectionClosed() {}
}

/// Creates the handler for a request head. Called on the connection's loop.
public typealias HTTPRouter = (HTTPRequestHead, HTTPResponseWriter) -> HTTPRequestHandler

/// A handler for requests answered from a small in-memory body (everything but uploads and streams).
public final class BufferedRequestHandler: HTTPRequestHandler {
    private let maxBodyBytes: Int
    private var body: [UInt8] = []
    private let respond: (HTTPRequestHead, [UInt8], HTTPResponseWriter) -> Void

    public init(maxBodyBytes: Int = 64 * 1024, respond: @escaping (HTTPRequestHead, [UInt8], HTTPResponseWriter) -> Void) {
        self.maxBodyBytes = maxBodyBytes
        self.respond = respond
    }

    public func receiveBody(_ bytes: UnsafeRawBufferPointer, _ writer: HTTPResponseWriter) {
        guard !writer.isResponseStarted else { return }
        guard body.count + bytes.count <= maxBodyBytes else {
            writer.send(.error(.contentTooLarge, code: "body_too_large",
                               message: "request body is larger than \(maxBodyBytes) bytes"))
            return
        }
        body.append(contentsOf: bytes)
    }

    public func receiveEnd(_ writer: HTTPResponseWriter) {
        guard !writer.isResponseStarted else { return }
        respond(writer.head, body, writer)
    }
}
