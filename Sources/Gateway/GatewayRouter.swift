import HTTP
import JSON
import Pipeline
import Secrets

/// Maps each request to its handler (PROTOCOL.md, "Endpoints").
struct GatewayRouter: Sendable {
    let gateway: GatewayContext
    var access: AccessPolicy { AccessPolicy(gateway: gateway) }
    let serverCounters: ServerCounters
    /// Sampled at scrape time for /metrics.
    let gauges: @Sendable () -> [(name: String, help: String, value: Int)]

    func route(_ head: HTTPRequestHead, _ writer: HTTPResponseWriter) -> HTTPRequestHandler {
        let path = head.path
        let method = head.method
        let isRead = method == "GET" || method == "HEAD"
        // Prefixes by bytes: `Substring.hasPrefix` compares Characters, on every request.
        let isResults = path.utf8.starts(with: "/results/".utf8)
        let isAPI = path == "/classify" || isResults || (path == "/" && method == "POST")

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
        if isResults {
            guard isRead else { return respond(writer, methodNotAllowed("GET, HEAD")) }
            return results(path.dropFirst("/results/".count), head, writer)
        }
        if path.utf8.starts(with: "/photos/".utf8), let photos = gateway.photos {
            guard isRead else { return respond(writer, methodNotAllowed("GET, HEAD")) }
            return DeferredResponse(writer: writer, start: { answer in gateway.files.async { photos.answer(head, answer) } },
                                    build: { $0 })
        }
        switch path {
        case "/healthz":
            guard isRead else { return respond(writer, methodNotAllowed("GET, HEAD")) }
            return respond(writer, .text(.ok, "ok\n"))
        case "/readyz":
            guard isRead else { return respond(writer, methodNotAllowed("GET, HEAD")) }
            // The disk and network checks read the file system: off the loop, like the store's.
            return DeferredResponse(writer: writer, start: { answer in
                gateway.hub.checkStore { store in gateway.files.async { answer(readiness(store)) } }
            }, build: { $0 })
        case "/favicon.ico":
            // Browsers ask for it whatever the page says; the page's icon is web/favicon.svg.
            guard isRead else { return respond(writer, methodNotAllowed("GET, HEAD")) }
            var response = HTTPResponse(status: .movedPermanently)
            response.headers.set("Location", "/favicon.svg")
            response.headers.set("Cache-Control", "max-age=86400")
            return respond(writer, response)
        case "/metrics":
            guard isRead else { return respond(writer, methodNotAllowed("GET, HEAD")) }
            // Monitors' labels and texts come from providers' answers: scrubbed like everything that leaves.
            let text = gateway.metrics.render(gauges: gauges(), responsesByStatus: serverCounters.responsesByStatus) + gateway.monitors.map { $0.metricsText() }.joined()
            var response = HTTPResponse.text(.ok, SecretScrubber.shared.scrub(text))
            response.headers.set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            return respond(writer, response)
        default:
            guard isRead else { return respond(writer, methodNotAllowed("GET, HEAD")) }
            if let extra = gateway.extraResponder?(head) { return respond(writer, extra) }
            return fromDisk(writer) { gateway.staticFiles.response(for: head) }
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
            let index = parts[2]
            return fromDisk(writer) { thumbnail(id: id, index: index) }
        }
        if let refusal = access.refuseResult(id: id, head) { return respond(writer, refusal) }
        let lastID = head.headers["Last-Event-ID"].flatMap { Int($0.trimmingCharacters) }
            ?? GatewayRouter.queryValue(head.query, "lastEventId").flatMap { Int($0) } ?? 0
        return ResultRequestHandler(id: id, wantsEvents: parts.count == 2, lastEventID: lastID, writer: writer, gateway: gateway)
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

    private func readiness(_ store: StoreHealth) -> HTTPResponse {
        var checks = JSONObject()
        var ready = store.ok
        var storeState: JSONObject = store.ok ? ["state": "ok"] : ["state": "failed", "message": .string(store.message ?? "unavailable")]
        if let reason = store.reason { storeState["reason"] = .string(reason) }
        checks[store.name] = .object(storeState)
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
        // Store and canary messages quote what failed (a provider's answer, a store's error): scrubbed.
        return .json(ready ? .ok : .serviceUnavailable, ["status": .string(ready ? "ready" : "not_ready"),
                                                         "checks": SecretScrubber.shared.scrub(.object(checks))])
    }

    private func methodNotAllowed(_ allow: String) -> HTTPResponse {
        var response = HTTPResponse.error(.methodNotAllowed, code: "method_not_allowed", message: "allowed: \(allow)")
        response.headers.add("Allow", allow)
        return response
    }

    /// A response that reads files: made on the gateway's file queue, sent from the loop.
    private func fromDisk(_ writer: HTTPResponseWriter, _ make: @escaping @Sendable () -> HTTPResponse) -> HTTPRequestHandler {
        DeferredResponse(writer: writer, start: { answer in gateway.files.async { answer(make()) } }, build: { $0 })
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
