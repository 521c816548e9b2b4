import Foundation
import Testing
@testable import Gateway

@Suite(.serialized) struct AccessTests {
    @Test func apiTokenGuardsUploadsAndResults() throws {
        let server = try TestServer { $0.apiToken = "s3cret-token" }
        defer { server.stop() }
        let image = TestImages.png(width: 4, height: 4)
        let sha = TestImages.sha256Hex(image)
        let anonymous = try server.classify(image)
        #expect(anonymous.status == 401)
        #expect(anonymous.header("WWW-Authenticate") == "Bearer")

        let body = Multipart.body(fileBytes: image)
        let head = "POST /classify HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer s3cret-token\r\nAccept: application/json\r\nContent-Type: multipart/form-data; boundary=\(Multipart.boundary)\r\nContent-Length: \(body.count)\r\n\r\n"
        let accepted = try server.request(Array(head.utf8) + body)
        #expect(accepted.status == 202)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(accepted.body)) as? [String: String])
        let eventsURL = try #require(json["events_url"])
        #expect(eventsURL.hasPrefix("/results/\(sha)/events?token="))

        // The signed URL works for EventSource; without it, or tampered, it does not.
        #expect(SSE.parse(try server.get(eventsURL).bodyText).last?.event == "done")
        #expect(try server.get("/results/\(sha)").status == 401)
        #expect(try server.get(eventsURL.replacingOccurrences(of: "token=", with: "token=1")).status == 401)
        #expect(try server.get("/results/\(sha)", headers: "Authorization: Bearer s3cret-token\r\n").status == 200)
        #expect(try server.get("/results/\(sha)", headers: "Authorization: Bearer wrong\r\n").status == 401)
        // A token for one result opens no other.
        let token = eventsURL.components(separatedBy: "token=")[1]
        #expect(try server.get("/results/\(String(repeating: "c", count: 64))?token=\(token)").status == 401)
        // Health and the page stay open.
        #expect(try server.get("/healthz").status == 200)
        #expect(try server.get("/").status == 200)
    }

    @Test func signedTokensExpire() {
        let signer = ResultToken(secret: "k")
        let token = signer.make(id: "abc", expiresAt: 1_000)
        #expect(signer.verify(token, id: "abc", now: 999))
        #expect(!signer.verify(token, id: "abc", now: 1_001))
        #expect(!signer.verify(token, id: "abd", now: 999))
        #expect(!ResultToken(secret: "other").verify(token, id: "abc", now: 999))
        #expect(!signer.verify("garbage", id: "abc", now: 0))
    }

    @Test func corsAllowsOnlyListedOrigins() throws {
        let server = try TestServer { $0.corsOrigins = ["https://app.example"] }
        defer { server.stop() }
        let allowed = try server.get("/results/\(String(repeating: "d", count: 64))", headers: "Origin: https://app.example\r\n")
        #expect(allowed.header("Access-Control-Allow-Origin") == "https://app.example")
        #expect(allowed.header("Access-Control-Expose-Headers")?.contains("X-Result-Id") == true)
        let other = try server.get("/results/\(String(repeating: "d", count: 64))", headers: "Origin: https://evil.example\r\n")
        #expect(other.header("Access-Control-Allow-Origin") == nil)
        let preflight = try server.request("OPTIONS /classify HTTP/1.1\r\nHost: t\r\nOrigin: https://app.example\r\nAccess-Control-Request-Method: POST\r\n\r\n")
        #expect(preflight.status == 204)
        #expect(preflight.header("Access-Control-Allow-Methods") == "GET, HEAD, POST")
        #expect(preflight.header("Access-Control-Allow-Origin") == "https://app.example")
        let refused = try server.request("OPTIONS /classify HTTP/1.1\r\nHost: t\r\nOrigin: https://evil.example\r\n\r\n")
        #expect(refused.header("Access-Control-Allow-Methods") == nil)
    }

    @Test func uploadsPastTheRateGet429() throws {
        let server = try TestServer {
            $0.uploadsPerMinute = 6
            $0.uploadBurst = 2
        }
        defer { server.stop() }
        #expect(try server.classify(TestImages.png(width: 4, height: 4, seed: 1)).status == 200)
        #expect(try server.classify(TestImages.png(width: 4, height: 4, seed: 2)).status == 200)
        let limited = try server.classify(TestImages.png(width: 4, height: 4, seed: 3))
        #expect(limited.status == 429)
        #expect(limited.bodyText.contains(#""code":"rate_limited""#))
        let wait = try #require(limited.header("Retry-After").flatMap { Int($0) })
        #expect(wait >= 1 && wait <= 10)
        #expect(try server.get("/healthz").status == 200)
    }

    @Test func tokensNeverReachTheLog() {
        #expect(RequestLogRedaction.redacted("/results/x/events?token=123.abc&lastEventId=2") == "/results/x/events?token=REDACTED&lastEventId=2")
        #expect(RequestLogRedaction.redacted("/healthz") == "/healthz")
    }
}
