import Glibc
import HTTP
import EventLoop
import SystemSupport

/// Who may call the API: CORS origins, the optional API token, and the per-client upload rate.
struct AccessPolicy {
    let gateway: GatewayContext

    var settings: GatewaySettings { gateway.settings }

    func allows(origin: String) -> Bool {
        settings.corsOrigins.contains("*") || settings.corsOrigins.contains(origin)
    }

    func corsHeaders(origin: String) -> [(String, String)] {
        [
            ("Access-Control-Allow-Origin", settings.corsOrigins.contains("*") && settings.apiToken == nil ? "*" : origin),
            ("Vary", "Origin"),
            ("Access-Control-Expose-Headers", "X-Result-Id, Location, Retry-After"),
        ]
    }

    /// An OPTIONS request: a CORS preflight when the origin is allowed, else just `Allow`.
    func preflight(_ head: HTTPRequestHead) -> HTTPResponse {
        var response = HTTPResponse(status: .noContent)
        response.headers.add("Allow", "GET, HEAD, POST, OPTIONS")
        if let origin = head.headers["Origin"], allows(origin: origin) {
            response.headers.add("Access-Control-Allow-Methods", "GET, HEAD, POST")
            response.headers.add("Access-Control-Allow-Headers", "Authorization, Content-Type, Accept, Last-Event-ID")
            response.headers.add("Access-Control-Max-Age", "600")
        }
        return response
    }

    /// 401 without the API token, 429 over the client's upload rate; nil when the upload may go on.
    func refuseUpload(_ head: HTTPRequestHead, _ writer: HTTPResponseWriter) -> HTTPResponse? {
        if let token = settings.apiToken, !hasBearer(token, head) {
            var response = HTTPResponse.error(.unauthorized, code: "unauthorized",
                                              message: "uploads need the header Authorization: Bearer <API token>")
            response.headers.add("WWW-Authenticate", "Bearer")
            return response
        }
        if let wait = gateway.rateLimiter.take(writer.peerAddress, nowMillis: MonotonicClock.nowMillis()) {
            var response = HTTPResponse.error(.tooManyRequests, code: "rate_limited",
                                              message: "too many uploads from this address; try again in \(wait) s")
            response.headers.add("Retry-After", String(wait))
            return response
        }
        return nil
    }

    /// With an API token: results need the Bearer token or the signed `token` of their URL.
    func refuseResult(id: String, _ head: HTTPRequestHead) -> HTTPResponse? {
        guard let token = settings.apiToken, let signer = gateway.resultTokens else { return nil }
        if hasBearer(token, head) { return nil }
        if let signed = GatewayRouter.queryValue(head.query, "token"),
           signer.verify(signed, id: id, now: Int64(time(nil)))
        {
            return nil
        }
        var response = HTTPResponse.error(.unauthorized, code: "unauthorized",
                                          message: "this result needs the API token or the signed URL from the upload's answer")
        response.headers.add("WWW-Authenticate", "Bearer")
        return response
    }

    private func hasBearer(_ token: String, _ head: HTTPRequestHead) -> Bool {
        guard let value = head.headers["Authorization"], value.lowercased().hasPrefix("bearer ") else { return false }
        let presented = value.dropFirst("bearer ".count).drop { $0 == " " }
        return ResultToken.constantTimeEqual(Array(presented.utf8), Array(token.utf8))
    }
}
