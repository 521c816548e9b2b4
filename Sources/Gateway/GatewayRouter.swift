import HTTP
import JSON
import Pipeline

/// Maps each request to its handler (PROTOCOL.md, "Endpoints").
struct GatewayRouter: Sendable {
    let gateway: GatewayContext
    var access: AccessPolicy { AccessPolicy(gateway: gateway) }
    /// Sampled at scrape time for /metrics.
    let gauges: @Sendable () -> [(name: String, help: String, value: Int)]

    func route(_ head: HTTPRequestHead, _ writer: HTTPResponseWriter) -> HTTPRequestHandler {
        let path = head.path
        let method = head.method
        let isRead = method == "GET" || method == "HEAD"
        let isAPI = path == "/classify" || path.hasPrefix("/results/") || (path == "/" && method == "POST")

        if isAPI, let origin = head.headers["Origin"], access.allows(origin: origin) {
            writer.extraHeaders += access.corsHeaders(origin: origin)
        }
        if method == "OPTIONS" {
            return respond(writer, access.preflight(head))
        }
        if path == "/classify" || (path == "/" && method == "POST") {
            guard method == "POST" else { return respond(writer, methodNotAllowed(path == "/" ? "GET, HEAD, POST" : "POST")) }
            if let refusal = access.refuseUpload(head, writer) { return respond(writer, refusal) }
            return UploadHandler(head: head, writer: writer, gateway: gateway)
        }
        if path.hasPrefix("/results/") {
            guard isRead else { return respond(writer, methodNotAllowed("GET, HEAD")) }
            return results(path.dropFirst("/results/".count), head, writer)
        }
        if path.hasPrefix("/photos/"), let photos = gateway.photos {
            guard isRead else { return respond(writer, methodNotAllowed("GET, HEAD")) }
            return respond(writer, photos.response(head))
        }
        switch path {
        case "/healthz":
            guard isRead else { return respond(writer, methodNotAllowed("GET, HEAD")) }
            return respond(writer, .text(.ok, "ok\n"))
        case "/readyz":
            guard isRead else { return respond(writer, methodNotAllowed("GET, HEAD")) }
            return respond(writer, readiness())
        case "/favicon.ico":
            // Browsers ask for it whatever the page says; the page's icon is web/favicon.svg.
            guard isRead else { return respond(writer, methodNotAllowed("GET, HEAD")) }
            var response = HTTPResponse(status: .movedPermanently)
            response.headers.set("Location", "/favicon.svg")
            response.headers.set("Cache-Control", "max-age=86400")
            return respond(writer, response)
        case "/metrics":
            guard isRead else { return respond(writer, methodNotAllowed("GET, HEAD")) }
            var response = HTTPResponse.text(.ok, gateway.metrics.render(gauges: gauges()) + gateway.monitors.map { $0.metricsText() }.joined())
            response.headers.set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            return respond(writer, response)
        default:
            guard isRead else { return respond(writer, methodNotAllowed("GET, HEAD")) }
            if let extra = gateway.extraResponder?(head) { return respond(writer, extra) }
            return respond(writer, gateway.staticFiles.response(for: head))
        }
    }

    private func results(_ rest: Substring, _ head: HTTPRequestHead, _ writer: HTTPResponseWriter) -> HTTPRequestHandler {
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false)
        guard let id = parts.first.map(String.init), GatewayRouter.isResultID(id),
              parts.count == 1 || (parts.count == 2 && parts[1] == "events") || (parts.count == 3 && parts[1] == "thumbnails")
        else {
            return respond(writer, .error(.notFound, code: "not_found", message: "no such result"))
        }
        if parts.count == 3 {
            // Not behind the result token: these are the public web's own images as Lens showed
            // them, never the uploaded photo, and an <img> cannot carry the token.
            return respond(writer, thumbnail(id: id, index: parts[2]))
        }
        if let refusal = access.refuseResult(id: id, head) { return respond(writer, refusal) }
        guard let stream = gateway.hub.stream(id: id) else {
            return respond(writer, .error(.notFound, code: "result_not_found", message: "no result with id \(id)"))
        }
        if parts.count == 1 {
            return respond(writer, snapshot(stream))
        }
        let lastID = head.headers["Last-Event-ID"].flatMap { Int($0.trimmingCharacters) }
            ?? GatewayRouter.queryValue(head.query, "lastEventId").flatMap { Int($0) } ?? 0
        if stream.isFinished && lastID >= stream.lastEventID {
            return respond(writer, HTTPResponse(status: .noContent))  // tells EventSource to stop reconnecting
        }
        return ResultSubscription(stream: stream, writer: writer, afterID: lastID, settings: gateway.settings)
    }

    /// `GET /results/{id}/thumbnails/{n}`: a Lens thumbnail kept for the result (size-capped when
    /// kept); cacheable, since a result's thumbnails do not change while it is kept.
    private func thumbnail(id: String, index: Substring) -> HTTPResponse {
        guard let n = Int(index), n >= 0, String(n) == index,
              let image = gateway.thumbnails?.get(resultID: id, index: n)
        else {
            return .error(.notFound, code: "thumbnail_not_found", message: "no thumbnail \(index) for result \(id)")
        }
        return HTTPResponse(status: .ok, headers: HTTPHeaders([("Content-Type", image.contentType),
                                                              ("Cache-Control", "public, max-age=86400"),
                                                              ("X-Content-Type-Options", "nosniff")]), body: image.bytes)
    }

    /// `{"id", "status", "result": {event: latest payload}, "events": [{"id", "event", envelope keys}, ...]}`
    /// (PROTOCOL.md): `result` holds the result events only (not progress, stage-error or done).
    private func snapshot(_ stream: ResultStream) -> HTTPResponse {
        let events = stream.allEvents
        var result = JSONObject()
        for event in events where !GatewayRouter.streamEvents.contains(event.name) {
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
    static let streamEvents: Set<String> = ["progress", "stage-error", "done"]

    private func readiness() -> HTTPResponse {
        var checks = JSONObject()
        var ready = true
        do {
            try gateway.store.check()
            checks["store"] = ["state": "ok"]
        } catch {
            checks["store"] = ["state": "failed", "message": .string("\(error)")]
            ready = false
        }
        // A full or read-only disk loses uploads and results: not ready.
        let disk = DiskReadiness(directory: gateway.settings.dataDirectory, minFreeBytes: gateway.settings.minFreeDiskBytes).check()
        var diskState: JSONObject = ["state": .string(disk.state)]
        if let free = disk.freeBytes { diskState["free_bytes"] = .int(free) }
        checks["disk"] = .object(diskState)
        ready = ready && disk.ok
        for check in gateway.readinessChecks {
            let result = check()
            checks[result.name] = ["state": .string(result.state)]
            ready = ready && result.ok
        }
        for monitor in gateway.monitors {
            let report = monitor.readiness()
            checks[monitor.name] = report.detail
            ready = ready && report.ok
        }
        return .json(ready ? .ok : .serviceUnavailable, ["status": .string(ready ? "ready" : "not_ready"), "checks": .object(checks)])
    }

    private func methodNotAllowed(_ allow: String) -> HTTPResponse {
        var response = HTTPResponse.error(.methodNotAllowed, code: "method_not_allowed", message: "allowed: \(allow)")
        response.headers.add("Allow", allow)
        return response
    }

    private func respond(_ writer: HTTPResponseWriter, _ response: HTTPResponse) -> HTTPRequestHandler {
        writer.send(response)
        return AnsweredHandler()
    }

    static func isResultID(_ id: String) -> Bool {
        id.utf8.count == 64 && id.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    static func queryValue(_ query: Substring?, _ name: String) -> String? {
        guard let query else { return nil }
        for pair in query.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if kv.first == Substring(name) { return kv.count > 1 ? String(kv[1]) : "" }
        }
        return nil
    }
}

/// A request already answered when it was routed.
final class AnsweredHandler: HTTPRequestHandler {
    func receiveEnd(_ writer: HTTPResponseWriter) {}
}

extension String {
    var trimmingCharacters: String {
        String(self.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
