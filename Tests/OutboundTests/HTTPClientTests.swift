import HTTP
import JSON
import Outbound
import TestSupport
import Testing

/// A loopback server whose routes exercise the client's limits.
final class EchoServer {
    let server: HTTPServer
    var base: String { "http://127.0.0.1:\(server.port)" }

    init() throws {
        server = try HTTPServer.loopback(maxBodyBytes: 1 << 20) { head, body, writer in
            switch head.path {
            case "/json":
                writer.send(.json(.ok, ["method": .string(head.method), "body": .string(String(decoding: body, as: UTF8.self)),
                                        "type": .optional(head.headers["Content-Type"])]))
            case "/big":
                writer.send(HTTPResponse(status: .ok, body: [UInt8](repeating: 0x61, count: 100_000)))
            case "/loop":
                writer.send(HTTPResponse(status: HTTPStatus(302, "Found"), headers: HTTPHeaders([("Location", "/loop")])))
            case "/hop":
                writer.send(HTTPResponse(status: HTTPStatus(302, "Found"), headers: HTTPHeaders([("Location", "/json")])))
            case "/silent":
                break  // never answers: the client's time limit has to end it
            default:
                writer.send(.error(.notFound, code: "not_found", message: "no"))
            }
        }
    }

    deinit { server.shutdown() }
}

@Suite struct HTTPClientTests {
    @Test func postsJSONAndReadsItBack() throws {
        let echo = try EchoServer()
        let client = HTTPClient()
        let (status, value) = try client.json("POST", echo.base + "/json", ["a": 1])
        #expect(status == 200)
        #expect(value["method"] == "POST")
        #expect(value["body"] == #"{"a":1}"#)
        #expect(value["type"]?.stringValue?.hasPrefix("application/json") == true)
        // A second request reuses the idle handle and still sends its own method.
        let (_, again) = try client.json("DELETE", echo.base + "/json")
        #expect(again["method"] == "DELETE")
    }

    @Test func followsRedirectsAndReportsTheFinalURL() throws {
        let echo = try EchoServer()
        let response = try HTTPClient().get(echo.base + "/hop")
        #expect(response.status == 200)
        #expect(response.url == echo.base + "/json")
        #expect(response.header("content-type") == "application/json")
    }

    @Test func stopsAtTheRedirectLimit() throws {
        let echo = try EchoServer()
        let error = #expect(throws: HTTPClientError.self) { try HTTPClient().get(echo.base + "/loop") }
        #expect(error?.kind == .tooManyRedirects)
    }

    @Test func capsTheResponseSize() throws {
        let echo = try EchoServer()
        let client = HTTPClient()
        let error = #expect(throws: HTTPClientError.self) {
            try client.send(HTTPClientRequest(url: echo.base + "/big", maxResponseBytes: 10_000))
        }
        #expect(error?.kind == .tooLarge)
        #expect(try client.get(echo.base + "/big").body.count == 100_000)
    }

    @Test func endsASilentExchangeAtItsTimeLimit() throws {
        let echo = try EchoServer()
        let started = ContinuousClock.now
        let error = #expect(throws: HTTPClientError.self) { try HTTPClient().get(echo.base + "/silent", timeoutMillis: 300) }
        #expect(error?.kind == .timeout)
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func reportsARefusedConnection() throws {
        // A port that was free a moment ago: nothing listens there.
        let echo = try EchoServer()
        let port = echo.server.port
        echo.server.shutdown()
        let error = #expect(throws: HTTPClientError.self) { try HTTPClient().get("http://127.0.0.1:\(port)/json", timeoutMillis: 2_000) }
        #expect(error?.kind == .connect)
    }

    @Test func base64RoundTrips() {
        for count in 0..<10 {
            let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 * 37 + 200) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
        }
        #expect(Base64.encode(Array("Man".utf8)) == "TWFu")
        #expect(Base64.encode(Array("Ma".utf8)) == "TWE=")
        #expect(Base64.decode("not*base64") == nil)
    }
}
