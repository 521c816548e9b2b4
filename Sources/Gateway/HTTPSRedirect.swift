import HTTP
import Synchronization

/// The plaintext listener in `redirect` mode: every request is sent to the same path over HTTPS.
final class HTTPSRedirect: Sendable {
    /// The bound HTTPS port, known only once the listeners exist (the setting may be 0).
    let httpsPort: Atomic<Int>

    init(httpsPort: Int) {
        self.httpsPort = Atomic(httpsPort)
    }

    func route(_ head: HTTPRequestHead, _ writer: HTTPResponseWriter) -> HTTPRequestHandler {
        if head.path == "/healthz" {  // probes keep working on the plaintext port
            writer.send(.text(.ok, "ok\n"))
            return AnsweredHandler()
        }
        // An absolute-form target's authority stands in for Host (RFC 9112 §3.2.2).
        let host = HTTPSRedirect.hostWithoutPort(head.host ?? "localhost")
        let port = httpsPort.load(ordering: .relaxed)
        let portPart = port == 443 ? "" : ":\(port)"
        let origin = head.originForm
        let target = origin.hasPrefix("/") ? String(origin) : "/"
        var response = HTTPResponse.error(.permanentRedirect, code: "use_https", message: "this service is served over HTTPS")
        response.headers.add("Location", "https://\(host)\(portPart)\(target)")
        writer.send(response)
        return AnsweredHandler()
    }

    /// `example.com:3002` → `example.com`; `[::1]:3002` → `[::1]`. Anything odd becomes `localhost`.
    static func hostWithoutPort(_ value: String) -> String {
        let allowed = value.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2E || b == 0x2D
                || b == 0x3A || b == 0x5B || b == 0x5D
        }
        guard allowed, !value.isEmpty else { return "localhost" }
        if value.hasPrefix("["), let close = value.firstIndex(of: "]") { return String(value[...close]) }
        return String(value.split(separator: ":", maxSplits: 1).first ?? "localhost")
    }
}
