import EventLoop
import SystemSupport

/// How a handler answers its request: one complete response, or a stream (SSE). Confined to
/// the connection's loop thread; a handler on another thread hops over with `loop.execute`.
public final class HTTPResponseWriter {
    public let head: HTTPRequestHead
    public let loop: EventLoop
    /// `X-Request-Id`, also in the request log.
    let id: RequestID
    public let peerAddress: String
    let startedAt: UInt64
    /// Strong, and let go when the response is finished: the connection drops its writer at the
    /// end of every request and on close, so neither keeps the other alive for long (a weak
    /// reference would cost the connection a side table and slower reference counting).
    private var connection: HTTPConnection?

    public private(set) var isResponseStarted = false
    public private(set) var isFinished = false
    private var streaming = false
    private var chunked = false
    var status: HTTPStatus?
    var bytesSent = 0

    init(head: HTTPRequestHead, connection: HTTPConnection, id: RequestID) {
        self.head = head
        self.loop = connection.stream.loop
        self.connection = connection
        self.id = id
        self.peerAddress = connection.stream.peerAddress
        startedAt = MonotonicClock.nowNanos()
    }

    /// The connection is gone (the client left or was cut off), or the response is finished.
    public var isClosed: Bool { connection?.stream.isClosed ?? true }

    /// Response bytes queued for the client that it has not read yet.
    public var backlog: Int { connection?.stream.queuedBytes ?? 0 }

    /// Headers added to whatever response this request gets (CORS, for instance).
    public var extraHeaders: [(String, String)] = []

    /// Called when everything queued has been written (for streams that pace themselves).
    public var onDrain: (() -> Void)?

    /// The handler cannot take more of the request body yet (its own work on what it has is
    /// behind): the socket is not read until `resumeBody()`. Bytes already read are still
    /// delivered, so the caller's bound is soft by one read.
    public func pauseBody() { connection?.setBodyPaused(true) }

    public func resumeBody() { connection?.setBodyPaused(false) }

    /// The rest of this request's body is read into buffers of `bytes` that the handler may keep
    /// (`keepBodyBuffer`): a large body goes to another thread without being copied. Ends with the request.
    public func readBodyIntoKeepableBuffers(_ bytes: Int) { connection?.stream.keepableReadBytes = bytes }

    /// The buffer that body bytes just received (in `receiveBody`) lie in, now the handler's;
    /// nil when they must be copied instead (see `TCPStream.keepReadBuffer`).
    public func keepBodyBuffer(holding bytes: UnsafeRawBufferPointer) -> ReadBuffer? {
        connection?.stream.keepReadBuffer(holding: bytes)
    }

    /// Sends a complete response and ends the request.
    public func send(_ response: HTTPResponse) {
        guard !isResponseStarted, let connection else { return }
        isResponseStarted = true
        status = response.status
        let isHead = head.method == "HEAD"
        let noBody = isHead || response.status.code == 204 || response.status.code == 304
        var bytes = responseHead(status: response.status, headers: response.headers, on: connection,
                                 contentLength: noLength(response.status) ? nil : response.body.count)
        if noBody || response.body.count > 64 * 1024 {
            // A large body is written as it is rather than copied behind the head.
            connection.stream.write(bytes)
            if !noBody { connection.stream.write(response.body) }
            bytesSent += bytes.count + (noBody ? 0 : response.body.count)
        } else {
            bytes.append(contentsOf: response.body)  // head and small body in one write
            bytesSent += bytes.count
            connection.stream.write(bytes)
        }
        finish()
    }

    /// Starts a streamed response: chunked for HTTP/1.1, ended by closing for HTTP/1.0.
    public func beginStream(status: HTTPStatus, headers: HTTPHeaders) {
        guard !isResponseStarted, let connection else { return }
        isResponseStarted = true
        streaming = true
        self.status = status
        chunked = head.versionMinor >= 1
        if !chunked { connection.keepAlive = false }
        let bytes = responseHead(status: status, headers: headers, on: connection, contentLength: nil, chunked: chunked)
        bytesSent += bytes.count
        connection.stream.write(bytes)
        if head.method == "HEAD" { finish() }
    }

    /// Writes part of a streamed response.
    public func write(_ bytes: [UInt8]) {
        guard streaming, !isFinished, !bytes.isEmpty, let connection else { return }
        bytesSent += bytes.count
        if chunked {
            var framed = Array(String(bytes.count, radix: 16).utf8)
            framed.append(contentsOf: [0x0D, 0x0A])
            framed.append(contentsOf: bytes)
            framed.append(contentsOf: [0x0D, 0x0A])
            connection.stream.write(framed)
        } else {
            connection.stream.write(bytes)
        }
    }

    /// Writes prepared chunks of a streamed response in one go, by reference: the same chunks
    /// may be queued on many connections at once, and none of them is copied.
    public func write(_ chunks: ArraySlice<StreamChunk>) {
        guard streaming, !isFinished, let connection else { return }
        let last = chunks.lastIndex { $0.count > 0 }
        for index in chunks.indices where chunks[index].count > 0 {
            let chunk = chunks[index]
            bytesSent += chunk.count
            connection.stream.write(shared: chunk.storage, range: chunk.wireRange(chunked: chunked), more: index != last)
        }
    }

    /// Ends a streamed response.
    public func endStream() {
        guard streaming, !isFinished, let connection else { return }
        if chunked { connection.stream.write(Array("0\r\n\r\n".utf8)) }
        finish()
    }

    /// Drops the connection at once (a subscriber too slow to keep up, a broken request).
    public func abort() {
        connection?.stream.abort()
    }

    /// 204 and 304 carry no Content-Length (RFC 9110 §8.6).
    private func noLength(_ status: HTTPStatus) -> Bool { status.code == 204 || status.code == 304 }

    /// The status line and header fields: the response's own, the connection's (Date,
    /// X-Request-Id, Connection), `extraHeaders`, then the framing; and the blank line.
    private func responseHead(status: HTTPStatus, headers: HTTPHeaders, on connection: HTTPConnection,
                              contentLength: Int?, chunked: Bool = false) -> [UInt8]
    {
        var out = ResponseHead.statusLine(status)
        for (name, value) in headers { ResponseHead.append(name, value, to: &out) }
        connection.appendCommonHeaders(for: self, to: &out)
        for (name, value) in extraHeaders { ResponseHead.append(name, value, to: &out) }
        if let contentLength {
            out.append(contentsOf: "Content-Length: ".utf8)
            ASCIIDecimal.append(contentLength, to: &out)
            out.append(contentsOf: ResponseHead.lineEnd)
        }
        if chunked { out.append(contentsOf: "Transfer-Encoding: chunked\r\n".utf8) }
        out.append(contentsOf: ResponseHead.lineEnd)
        return out
    }

    private func finish() {
        guard !isFinished else { return }
        isFinished = true
        let owner = connection
        connection = nil
        owner?.responseFinished(self)
    }
}
