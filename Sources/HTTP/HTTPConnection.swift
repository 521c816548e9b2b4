import EventLoop
import SystemSupport

/// One client connection: bytes in → parser → handler; responses out in order. Requests are
/// handled one at a time; pipelined requests wait in `pending` until the response before them
/// is finished. Confined to its loop thread.
final class HTTPConnection: StreamDelegate {
    let stream: TCPStream
    private let server: HTTPServerContext
    private var parser: HTTPRequestParser
    /// Bytes received but not parsed yet (a partial head, or pipelined requests).
    private var pending: [UInt8] = []
    private var handler: HTTPRequestHandler?
    private var writer: HTTPResponseWriter?
    private var requestComplete = false
    var keepAlive = true
    private var isProcessing = false
    /// The client may still be sending bytes we will never read (a refused body, a bad request).
    private var unreadInput = false
    /// The connection's one deadline (monotonic milliseconds) and what it is for; nil: none.
    private var deadline: UInt64?
    private var deadlineKind = TimerKind.header
    /// The loop timer behind the deadline, and when it fires (at or before the deadline).
    private var timer: UInt64?
    private var timerAt: UInt64 = 0
    private var bodyBytesInWindow = 0
    /// The handler asked for no more body for now (`HTTPResponseWriter.pauseBody`): its own
    /// work on what it has is behind. Not the client's fault, so the body rate is not held
    /// against a window in which this happened.
    private var bodyPaused = false
    private var bodyPausedInWindow = false
    /// The connection is closing after the current response (`Connection: close`, an answer sent
    /// before the request was read): nothing the client sent after it is parsed, run or stored
    /// (RFC 9112 §9.6).
    private var closing = false

    init(stream: TCPStream, server: HTTPServerContext) {
        self.stream = stream
        self.server = server
        parser = HTTPRequestParser(limits: server.configuration.parserLimits)
        stream.delegate = self
        stream.writeTimeoutMillis = server.configuration.writeTimeoutMillis
        // An encrypted connection first gets the handshake's time; the header timeout starts
        // with the first plaintext byte.
        let first = stream.transform == nil ? server.configuration.headerTimeoutMillis : server.configuration.tlsHandshakeTimeoutMillis
        armTimer(first, .header)
    }

    // MARK: StreamDelegate

    func streamDidRead(_ stream: TCPStream, _ bytes: UnsafeRawBufferPointer) {
        if closing { return }
        if (writer != nil && requestComplete) || (writer == nil && outputBacklogged) {
            // A pipelined request behind a response still in progress, or behind responses the
            // client has not read yet: keep it for later, bounded. (The idle or write timeout,
            // not the header timeout, applies: we are the ones not reading.)
            pending.append(contentsOf: bytes)
            applyBackPressure()
            return
        }
        if parser.isIdle && writer == nil {
            // First byte of a new request: the idle timeout gives way to the header timeout.
            armTimer(server.configuration.headerTimeoutMillis, .header)
        }
        if pending.isEmpty {
            let consumed = process(bytes)
            if consumed < bytes.count && !stream.isClosed && !closing {
                pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[consumed...]))
            }
            applyBackPressure()
        } else {
            pending.append(contentsOf: bytes)
            processPending()
        }
    }

    func streamDidDrain(_ stream: TCPStream) {
        if writer == nil || requestComplete == false {
            if pending.count <= server.configuration.maxPipelinedBytes && !bodyPaused { stream.resumeReading() }
        }
        writer?.onDrain?()
        // The client read what it was sent: pipelined requests held back by the backlog go on.
        if writer == nil && !pending.isEmpty && !isProcessing && !stream.isClosed { processPending() }
    }

    /// More response bytes wait for the client than the high-water mark: a client that does not
    /// read its responses gets no more of them made (pipelining must not pin memory).
    private var outputBacklogged: Bool { stream.queuedBytes > server.configuration.writeHighWaterBytes }

    /// Stops reading while pipelined bytes are over their bound or responses are not being read.
    private func applyBackPressure() {
        guard !stream.isClosed else { return }
        if pending.count > server.configuration.maxPipelinedBytes || (writer == nil && outputBacklogged) {
            stream.pauseReading()
        }
    }

    func streamDidClose(_ stream: TCPStream) {
        if let timer { stream.loop.cancelTimer(timer) }
        timer = nil
        deadline = nil
        if let writer, !writer.isFinished {
            server.log(writer, closedEarly: true)
        }
        writer?.onDrain = nil
        handler?.connectionClosed()
        handler = nil
        writer = nil
        pending = []
    }

    // MARK: parsing

    private func processPending() {
        guard !pending.isEmpty else { return }
        let buffer = pending
        let consumed = buffer.withUnsafeBytes { process($0) }
        if stream.isClosed { return }
        if closing {
            pending = []
            return
        }
        pending.removeFirst(min(consumed, pending.count))
        if pending.count <= server.configuration.maxPipelinedBytes && writer == nil && !outputBacklogged && !bodyPaused {
            stream.resumeReading()
        } else {
            applyBackPressure()
        }
    }

    /// Parses what it can; returns how many bytes it used.
    private func process(_ bytes: UnsafeRawBufferPointer) -> Int {
        isProcessing = true
        defer { isProcessing = false }
        var offset = 0
        while offset < bytes.count && !stream.isClosed {
            // Closing: the rest is never looked at.
            if closing { return bytes.count }
            // A response still running for a complete request: the rest waits (pipelining).
            if writer != nil && requestComplete { break }
            // Responses the client has not read are over the high-water mark: the next request
            // waits until they drain.
            if writer == nil && outputBacklogged { break }
            let consumed: Int
            do {
                consumed = try parser.parse(UnsafeRawBufferPointer(rebasing: bytes[offset...])) { event in
                    self.handle(event)
                }
            } catch let error as HTTPParseError {
                fail(error)
                return bytes.count
            } catch {
                fail(HTTPParseError(.badRequest, "\(error)"))
                return bytes.count
            }
            offset += consumed
            if consumed == 0 { break }
        }
        return offset
    }

    private func handle(_ event: HTTPRequestEvent) {
        switch event {
        case .head(let head):
            startRequest(head)
        case .body(let bytes):
            bodyBytesInWindow += bytes.count
            guard let writer, let handler else { return }
            if writer.isResponseStarted { return }  // answered early (413, 415): the rest is dropped
            handler.receiveBody(bytes, writer)
        case .end:
            requestComplete = true
            cancelTimer()
            guard let writer, let handler else { return }
            if writer.isFinished {
                if closing { return }  // answered early with Connection: close: nothing follows
                nextRequest()
            } else if !writer.isResponseStarted {
                handler.receiveEnd(writer)
            }
        }
    }

    private func startRequest(_ head: HTTPRequestHead) {
        requestComplete = false
        keepAlive = head.keepAlive && !server.isShuttingDown
        let writer = HTTPResponseWriter(head: head, connection: self, id: server.nextRequestID())
        self.writer = writer
        if let problem = HTTPConnection.hostProblem(head) ?? head.targetProblem {
            // RFC 9112 §3.2: a 1.1 request without Host, or any with more than one, is a 400;
            // so is a target that is neither a path nor an http(s) URL (§3.2.2 accepts those).
            handler = nil
            fail(HTTPParseError(.badRequest, problem))
            return
        }
        handler = server.router(head, writer)
        if writer.isResponseStarted { return }
        if head.framing != .none && head.framing != .length(0) {
            if head.expectsContinue && head.versionMinor >= 1 {
                stream.write(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
            }
            bodyBytesInWindow = 0
            armBodyRateTimer()
        } else {
            cancelTimer()
        }
    }

    private func fail(_ error: HTTPParseError) {
        keepAlive = false
        unreadInput = true  // the rest of what the client sent is not parsed: close lingering
        if let writer, writer.isResponseStarted {
            stream.close()
            return
        }
        let writer = self.writer ?? HTTPResponseWriter(
            head: HTTPRequestHead(method: "-", target: "-"), connection: self, id: server.nextRequestID())
        self.writer = writer
        requestComplete = true
        writer.send(.error(error.status, code: errorCode(error.kind), message: error.message))
    }

    private func errorCode(_ kind: HTTPParseError.Kind) -> String {
        switch kind {
        case .badRequest: return "bad_request"
        case .uriTooLong: return "uri_too_long"
        case .headersTooLarge: return "headers_too_large"
        case .bodyTooLarge: return "upload_too_large"
        case .notImplemented: return "not_implemented"
        case .versionNotSupported: return "http_version_not_supported"
        }
    }

    /// Why the head's Host fields are not acceptable, or nil when they are.
    static func hostProblem(_ head: HTTPRequestHead) -> String? {
        // One pass over the fields and the value's bytes: this runs for every request.
        var host: String?
        for field in head.headers where field.name.lowercasedASCIIEquals("Host") {
            if host != nil { return "more than one Host header" }
            host = field.value
        }
        guard let host else { return head.versionMinor >= 1 ? "HTTP/1.1 request without a Host header" : nil }
        if host.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: " ") }) { return "invalid Host header" }
        return nil
    }

    // MARK: responses

    /// Date, X-Request-Id, and `Connection: close` when this response ends the connection.
    func appendCommonHeaders(for writer: HTTPResponseWriter, to out: inout [UInt8]) {
        out.append(contentsOf: server.date.headerLine())
        out.append(contentsOf: "X-Request-Id: ".utf8)
        writer.id.append(to: &out)
        out.append(contentsOf: ResponseHead.lineEnd)
        if !keepAlive || !requestComplete && writer.head.framing != .none && writer.head.framing != .length(0) {
            // Answered before the body was read (413, 415): the unread rest cannot be reused.
            keepAlive = keepAlive && requestComplete
            if !keepAlive { out.append(contentsOf: "Connection: close\r\n".utf8) }
        }
    }

    /// Called by the writer when its response is complete.
    func responseFinished(_ finished: HTTPResponseWriter) {
        server.log(finished, closedEarly: false)
        guard finished === writer else { return }
        let bodyUnread = !requestComplete && finished.head.framing != .none && finished.head.framing != .length(0)
        if unreadInput || bodyUnread {
            // Answered before the request was read to its end: the rest cannot be reused, and
            // closing at once could reset the connection before the client reads the answer.
            closing = true
            pending = []
            stream.close(lingerMillis: server.configuration.lingerMillis)
        } else if !keepAlive {
            closing = true
            pending = []
            stream.close()
        } else if requestComplete {
            nextRequest()
        }
        // Otherwise a bodiless request whose end the parser has yet to report; `.end` goes on.
    }

    /// See `HTTPResponseWriter.pauseBody`.
    func setBodyPaused(_ paused: Bool) {
        guard paused != bodyPaused, !stream.isClosed else { return }
        bodyPaused = paused
        if paused {
            bodyPausedInWindow = true
            stream.pauseReading()
        } else if pending.count <= server.configuration.maxPipelinedBytes && !outputBacklogged {
            stream.resumeReading()
        }
    }

    private func nextRequest() {
        handler = nil
        writer = nil
        stream.keepableReadBytes = 0  // a body's own read buffers end with its request
        requestComplete = false
        if bodyPaused {  // the handler is gone: whatever it was waiting for, the next request is read
            bodyPaused = false
            stream.resumeReading()
        }
        armTimer(server.configuration.idleTimeoutMillis, .idle)
        if outputBacklogged {
            stream.pauseReading()  // the client is not reading what we send: stop reading what it sends
            return  // pipelined requests wait for the drain
        }
        if !isProcessing && !pending.isEmpty {
            // Finished from outside the parse loop (a stream ended later): go on with what is buffered.
            // Held strongly for one loop turn: the task cannot be cancelled, so it must not outlive us.
            stream.loop.runLater { if !self.stream.isClosed { self.processPending() } }
        }
    }

    // MARK: timeouts

    /// What the connection's one timer is waiting for.
    private enum TimerKind { case header, idle, bodyRate }

    /// Sets the deadline. The loop timer behind it moves only when the new deadline is earlier
    /// than the one it waits for; a later one is picked up when that timer fires. A keep-alive
    /// connection moves its deadline three times per request (header, none, idle): this way it
    /// touches the loop's timer heap about once per header timeout instead.
    private func armTimer(_ millis: UInt64, _ kind: TimerKind) {
        let due = MonotonicClock.nowMillis() + millis
        deadline = due
        deadlineKind = kind
        if timer != nil && timerAt <= due { return }
        scheduleTimer(at: due)
    }

    /// No deadline: a pending loop timer finds nothing due when it fires.
    private func cancelTimer() {
        deadline = nil
    }

    private func scheduleTimer(at due: UInt64) {
        if let timer { stream.loop.cancelTimer(timer) }
        timerAt = due
        // `unowned`: the timer is cancelled in `streamDidClose`, before the connection can go
        // away; a weak capture would give the connection a side table and make every retain
        // and release of it slower.
        timer = stream.loop.schedule(atMillis: due) { [unowned self] in
            self.timer = nil
            self.timerFired()
        }
    }

    private func timerFired() {
        guard let due = deadline else { return }
        if due > MonotonicClock.nowMillis() {
            scheduleTimer(at: due)  // the deadline moved on since this timer was set
            return
        }
        deadline = nil
        switch deadlineKind {
        case .header: headerTimedOut()
        case .idle: stream.close()
        case .bodyRate: bodyRateCheck()
        }
    }

    private func headerTimedOut() {
        guard !stream.isClosed, writer == nil else { return }
        if parser.isIdle && pending.isEmpty {
            stream.close()  // sent nothing (or only finished requests): nothing to answer
        } else {
            timeOut("request header not received within \(server.configuration.headerTimeoutMillis) ms")
        }
    }

    private func armBodyRateTimer() {
        armTimer(server.configuration.bodyRateWindowMillis, .bodyRate)
    }

    private func bodyRateCheck() {
        guard !requestComplete, !stream.isClosed else { return }
        let window = server.configuration.bodyRateWindowMillis
        let minimum = server.configuration.minBodyBytesPerSecond * Int(window) / 1000
        let paused = bodyPausedInWindow || bodyPaused
        bodyPausedInWindow = false
        if bodyBytesInWindow < minimum && !paused {
            timeOut("request body arrived slower than \(server.configuration.minBodyBytesPerSecond) bytes/s")
        } else {
            bodyBytesInWindow = 0
            armBodyRateTimer()
        }
    }

    private func timeOut(_ message: String) {
        keepAlive = false
        unreadInput = true
        if let writer, writer.isResponseStarted {
            stream.close()
            return
        }
        handler?.connectionClosed()
        handler = nil
        let writer = self.writer ?? HTTPResponseWriter(
            head: HTTPRequestHead(method: "-", target: "-"), connection: self, id: server.nextRequestID())
        self.writer = writer
        requestComplete = true
        writer.send(.error(.requestTimeout, code: "request_timeout", message: message))
    }
}
