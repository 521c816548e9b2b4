import JSON

/// A W3C WebDriver endpoint (chromedriver, a Selenium sidecar, or a Selenium Grid hub).
public final class WebDriverClient: Sendable {
    /// Base URL without a trailing slash, e.g. `http://127.0.0.1:9515` or `http://grid:4444/wd/hub`.
    public let baseURL: String
    let http: HTTPClient
    /// Time allowed for one command's HTTP exchange when the command sets none.
    public let commandTimeoutMillis: Int

    public init(baseURL: String, http: HTTPClient = HTTPClient(), commandTimeoutMillis: Int = 30_000) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.http = http
        self.commandTimeoutMillis = commandTimeoutMillis
    }

    /// `GET /status`: whether the endpoint can create sessions now.
    public func isReady(timeoutMillis: Int = 2_000) -> Bool {
        guard let value = try? command("GET", "/status", timeoutMillis: timeoutMillis) else { return false }
        return value["ready"]?.boolValue ?? false
    }

    /// `POST /session` with `capabilities` as `alwaysMatch`.
    public func newSession(capabilities: JSONValue, timeoutMillis: Int = 60_000) throws(WebDriverError) -> WebDriverSession {
        let value = try command("POST", "/session", ["capabilities": ["alwaysMatch": capabilities]], timeoutMillis: timeoutMillis)
        guard let id = value["sessionId"]?.stringValue, !id.isEmpty else {
            throw WebDriverError(.malformedResponse, "new session answer has no sessionId")
        }
        return WebDriverSession(id: id, client: self)
    }

    /// One command: the `value` of a success, or the spec error it carries.
    func command(_ method: String, _ path: String, _ body: JSONValue? = nil,
                 timeoutMillis: Int? = nil) throws(WebDriverError) -> JSONValue
    {
        let answer: (status: Int, value: JSONValue)
        do {
            // A POST always carries a JSON body; chromedriver rejects one without. (Spelled out:
            // JSONValue takes `nil` literals, so `body ?? nil` would send a JSON null.)
            let payload: JSONValue? = method == "POST" ? (body ?? .object(JSONObject())) : body
            answer = try http.json(method, baseURL + path, payload, timeoutMillis: timeoutMillis ?? commandTimeoutMillis)
        } catch {
            if error.kind == .badResponse { throw WebDriverError(.malformedResponse, "\(method) \(path): \(error.message)") }
            throw WebDriverError(.unreachable, "\(method) \(path): \(error.message)")
        }
        let value = answer.value["value"] ?? .null
        if answer.status >= 200 && answer.status < 300 && value["error"] == nil { return value }
        guard let name = value["error"]?.stringValue else {
            throw WebDriverError(.malformedResponse, "\(method) \(path) answered \(answer.status) without a WebDriver error", status: answer.status)
        }
        let message = value["message"]?.stringValue ?? name
        throw WebDriverError(WebDriverError.Code(rawValue: name) ?? .unknownError, message, status: answer.status)
    }
}

/// An element reference (the spec's web element identifier).
public struct WebDriverElement: Sendable, Equatable {
    static let key = "element-6066-11e4-a52e-4f735466cecf"
    public let id: String

    public var json: JSONValue { [WebDriverElement.key: .string(id)] }
}
