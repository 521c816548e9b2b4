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
        switch path {
        case "/healthz":
            guard isRead else { return respond(writer, methodNotAllowed("GET, HEAD")) }
            return respond(writer, .text(.ok, "ok\n"))
        case "/readyz":
            guard isRead else { return respond(writer, methodNotAllowed("GET, HEAD")) }
            return respond(writer, readiness())
        case "/metrics":
            guard isRead else { return respond(writer, methodNotAllowed("GET, HEAD")) }
            var response = HTTPResponse.text(.ok, gateway.metrics.render(gauges: gauges()))
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
              parts.count == 1 || (parts.count == 2 && parts[1] == "events")
        else {
            return respond(writer, .error(.notFound, code: "not_found", message: "no such result"))
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

    /// `{"id", "status", "events": [envelope, ...]}`, the envelopes copied as stored.
    private func snapshot(_ stream: ResultStream) -> HTTPResponse {
        var body = Array(#"{"id":"#.utf8)
        body.append(contentsOf: JSONValue.string(stream.id).serializedBytes())
        body.append(contentsOf: #","status":"#.utf8)
        body.append(contentsOf: JSONValue.string(stream.status.rawValue).serializedBytes())
        body.append(contentsOf: #","events":["#.utf8)
        for (i, event) in stream.allEvents.enumerated() {
            if i > 0 { body.append(UInt8(ascii: ",")) }
            body.append(contentsOf: event.envelope.utf8)
        }
        body.append(contentsOf: "]}\n".utf8)
        return HTTPResponse(status: .ok, headers: HTTPHeaders([("Content-Type", "application/json"), ("Cache-Control", "no-cache")]), body: body)
    }

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
