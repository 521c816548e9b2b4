import HTTP
import JSON
import Outbound
import TestSupport
import Testing

/// A fake WebDriver endpoint that answers every command with one canned reply.
final class CannedWebDriver {
    let server: HTTPServer
    var url: String { "http://127.0.0.1:\(server.port)" }

    init(status: HTTPStatus, body: JSONValue) throws {
        server = try HTTPServer.loopback { _, _, writer in writer.send(.json(status, body))        }
    }

    deinit { server.shutdown() }
}

@Suite struct WebDriverErrorTests {
    @Test func mapsSpecErrorsToTypedErrors() throws {
        let driver = try CannedWebDriver(status: .notFound, body: ["value": ["error": "no such element", "message": "nothing matched", "stacktrace": ""]])
        let session = WebDriverSession(id: "s1", client: WebDriverClient(baseURL: driver.url + "/"))
        let error = #expect(throws: WebDriverError.self) { try session.findElement(css: "#missing") }
        #expect(error?.code == .noSuchElement)
        #expect(error?.message == "nothing matched")
        #expect(error?.status == 404)
        #expect(error?.endsSession == false)
    }

    @Test func invalidSessionEndsTheSession() throws {
        let driver = try CannedWebDriver(status: .notFound, body: ["value": ["error": "invalid session id", "message": "gone"]])
        let session = WebDriverSession(id: "s1", client: WebDriverClient(baseURL: driver.url))
        let error = #expect(throws: WebDriverError.self) { try session.currentURL() }
        #expect(error?.code == .invalidSessionID)
        #expect(error?.endsSession == true)
    }

    @Test func unknownErrorNamesStayVisible() throws {
        let driver = try CannedWebDriver(status: .internalServerError, body: ["value": ["error": "brand new error", "message": "m"]])
        let session = WebDriverSession(id: "s1", client: WebDriverClient(baseURL: driver.url))
        let error = #expect(throws: WebDriverError.self) { try session.title() }
        #expect(error?.code == .unknownError)
        #expect(error?.status == 500)
    }

    @Test func anUnreachableDriverIsTransportFailure() throws {
        let driver = try CannedWebDriver(status: .ok, body: ["value": .null])
        let url = driver.url
        driver.server.shutdown()
        let client = WebDriverClient(baseURL: url, commandTimeoutMillis: 1_000)
        #expect(!client.isReady())
        let error = #expect(throws: WebDriverError.self) { try client.newSession(capabilities: [:]) }
        #expect(error?.code == .unreachable)
        #expect(error?.endsSession == true)
    }

    @Test func aNonWebDriverAnswerIsMalformed() throws {
        let driver = try CannedWebDriver(status: .ok, body: ["value": ["no": "session"]])
        let error = #expect(throws: WebDriverError.self) { try WebDriverClient(baseURL: driver.url).newSession(capabilities: [:]) }
        #expect(error?.code == .malformedResponse)
    }
}
