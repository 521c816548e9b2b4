import EventLoop
import HTTP
import JSON
import Pipeline

/// `GET /results/{id}` and `GET /results/{id}/events`: the result is looked up on the store's
/// threads (memory, the SQLite file or Redis); the answer comes back to this loop as a message,
/// so the loop never waits for a disk or a network.
final class ResultRequestHandler: HTTPRequestHandler {
    private let gateway: GatewayContext
    private let writer: HTTPResponseWriter
    private let wantsEvents: Bool
    private let lastEventID: Int
    private var subscription: ResultSubscription?
    private var closed = false

    init(id: String, wantsEvents: Bool, lastEventID: Int, writer: HTTPResponseWriter, gateway: GatewayContext) {
        self.gateway = gateway
        self.writer = writer
        self.wantsEvents = wantsEvents
        self.lastEventID = lastEventID
        let bound = LoopBound(self, loop: writer.loop)
        gateway.hub.lookup(id: id) { lookup in
            bound.loop.execute { bound.value.answer(lookup, id: id) }
        }
    }

    func receiveEnd(_ writer: HTTPResponseWriter) {}

    func connectionClosed() {
        closed = true
        subscription?.connectionClosed()
    }

    private func answer(_ lookup: ResultLookup, id: String) {
        guard !closed, !writer.isClosed else { return }
        switch lookup {
        case .notFound:
            writer.send(.error(.notFound, code: "result_not_found", message: "no result with id \(id)"))
        case .unavailable(let reason):
            if wantsEvents {
                // An SSE answer, not a 503: EventSource gives up for good on an error status,
                // but reconnects (with Last-Event-ID) after a stream that ends.
                StreamError.answer(writer, id: id, settings: gateway.settings, reason: reason)
            } else {
                var response = HTTPResponse.error(.serviceUnavailable, code: "store_unavailable",
                                                  message: "results cannot be read right now: \(reason)")
                response.headers.add("Retry-After", String(gateway.settings.storeRetryAfterSeconds))
                writer.send(response)
            }
        case .found(let stream):
            guard wantsEvents else { return writer.send(ResultRequestHandler.snapshot(stream)) }
            if stream.isFinished && lastEventID >= stream.lastEventID {
                return writer.send(HTTPResponse(status: .noContent))  // tells EventSource to stop reconnecting
            }
            subscription = ResultSubscription(stream: stream, writer: writer, afterID: lastEventID, settings: gateway.settings,
                                              openStreams: gateway.openStreams)
        }
    }

    /// `{"id", "status", "result": {event: latest payload}, "events": [{"id", "event", envelope keys}, ...]}`
    /// (PROTOCOL.md): `result` holds the result events only (not progress, stage-error or done).
    static func snapshot(_ stream: ResultStream) -> HTTPResponse {
        let events = stream.allEvents
        var result = JSONObject()
        for event in events where !ResultRequestHandler.streamEvents.contains(event.name) {
            if let payload = (try? JSONParser.parse(Array(event.envelope.utf8)))?["data"] { result[event.name] = payload }
        }
        var body = Array(#"{"id":"#.utf8)
        body.append(contentsOf: JSONValue.string(stream.id).serializedBytes())
        body.append(contentsOf: #","status":"#.utf8)
        body.append(contentsOf: JSONValue.string(stream.status.rawValue).serializedBytes())
        body.append(contentsOf: #","result":"#.utf8)
        body.append(contentsOf: JSONValue.object(result).serializedBytes())
        body.append(contentsOf: #","events":["#.utf8)
        for (i, event) in events.enumerated() {
            if i > 0 { body.append(UInt8(ascii: ",")) }
            // The stored envelope spliced after the id and name: `{"id":3,"event":"x","data":...}`.
            body.append(contentsOf: #"{"id":"#.utf8)
            body.append(contentsOf: String(event.id).utf8)
            body.append(contentsOf: #","event":"#.utf8)
            body.append(contentsOf: JSONValue.string(event.name).serializedBytes())
            let envelope = event.envelope.utf8.drop { $0 == 0x20 }
            if envelope.first == UInt8(ascii: "{") && envelope.dropFirst().first != UInt8(ascii: "}") {
                body.append(UInt8(ascii: ","))
                body.append(contentsOf: envelope.dropFirst())
            } else {
                body.append(UInt8(ascii: "}"))
            }
        }
        body.append(contentsOf: "]}\n".utf8)
        return HTTPResponse(status: .ok, headers: HTTPHeaders([("Content-Type", "application/json"), ("Cache-Control", "no-cache")]), body: body)
    }

    /// Events about the run rather than results of it.
    static let streamEvents: Set<String> = ["progress", "stage-error", "marketplace-error", "visual-refinement", "done"]
}

/// The `stream-error` frame that ends an SSE response when the store cannot be followed: it
/// has no `id`, so the client's `Last-Event-ID` stays on the last real event and a reconnect
/// resumes from there.
enum StreamError {
    static func frame(_ reason: String) -> [UInt8] {
        let payload: JSONValue = ["code": "store_unavailable", "message": .string("results cannot be followed right now: \(reason)"),
                                  "retryable": true]
        return SSEFrame.event(id: nil, name: "stream-error", data: payload.serialized())
    }

    static func answer(_ writer: HTTPResponseWriter, id: String, settings: GatewaySettings, reason: String) {
        writer.beginStream(status: .ok, headers: HTTPHeaders([
            ("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache"), ("X-Accel-Buffering", "no"),
            ("X-Result-Id", id),
        ]))
        writer.write(SSEFrame.retry(milliseconds: settings.sseRetryMillis))
        writer.write(frame(reason))
        writer.endStream()
    }
}
