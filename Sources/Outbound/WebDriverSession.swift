import JSON

/// One browser session. Commands block the calling thread until the browser answers.
public struct WebDriverSession: Sendable {
    public let id: String
    public let client: WebDriverClient

    public init(id: String, client: WebDriverClient) {
        self.id = id
        self.client = client
    }

    private var base: String { "/session/\(id)" }

    public func delete(timeoutMillis: Int = 10_000) throws(WebDriverError) {
        _ = try client.command("DELETE", base, timeoutMillis: timeoutMillis)
    }

    /// Script, page-load and implicit-wait limits of the session.
    public func setTimeouts(scriptMillis: Int? = nil, pageLoadMillis: Int? = nil, implicitMillis: Int? = nil) throws(WebDriverError) {
        var body = JSONObject()
        if let scriptMillis { body["script"] = .int(scriptMillis) }
        if let pageLoadMillis { body["pageLoad"] = .int(pageLoadMillis) }
        if let implicitMillis { body["implicit"] = .int(implicitMillis) }
        _ = try client.command("POST", base + "/timeouts", .object(body))
    }

    /// Loads `url` and waits for the page load strategy (by default until `load`).
    public func navigate(to url: String, timeoutMillis: Int? = nil) throws(WebDriverError) {
        _ = try client.command("POST", base + "/url", ["url": .string(url)], timeoutMillis: timeoutMillis)
    }

    public func currentURL() throws(WebDriverError) -> String {
        try client.command("GET", base + "/url").stringValue ?? ""
    }

    public func title() throws(WebDriverError) -> String {
        try client.command("GET", base + "/title").stringValue ?? ""
    }

    /// Every match (the client's tests; production code asks for one element or runs a script).
    func findElements(css selector: String) throws(WebDriverError) -> [WebDriverElement] {
        let value = try client.command("POST", base + "/elements", ["using": "css selector", "value": .string(selector)])
        return (value.arrayValue ?? []).compactMap { $0[WebDriverElement.key]?.stringValue.map(WebDriverElement.init) }
    }

    /// The first match; `no such element` when there is none.
    public func findElement(css selector: String) throws(WebDriverError) -> WebDriverElement {
        let value = try client.command("POST", base + "/element", ["using": "css selector", "value": .string(selector)])
        guard let id = value[WebDriverElement.key]?.stringValue else {
            throw WebDriverError(.malformedResponse, "find element answer has no element reference")
        }
        return WebDriverElement(id: id)
    }

    public func click(_ element: WebDriverElement) throws(WebDriverError) {
        _ = try client.command("POST", base + "/element/\(element.id)/click")
    }

    /// Types `text` into an element; for `input[type=file]` the text is a path where the browser runs.
    public func sendKeys(_ element: WebDriverElement, _ text: String) throws(WebDriverError) {
        _ = try client.command("POST", base + "/element/\(element.id)/value", ["text": .string(text)])
    }

    /// Runs `script` as a function body with `arguments`; its return value.
    public func execute(_ script: String, _ arguments: [JSONValue] = [], timeoutMillis: Int? = nil) throws(WebDriverError) -> JSONValue {
        try client.command("POST", base + "/execute/sync", ["script": .string(script), "args": .array(arguments)],
                           timeoutMillis: timeoutMillis)
    }

    /// Runs `script` with a callback as its last argument; the value passed to the callback.
    /// Bounded by the session's script timeout.
    public func executeAsync(_ script: String, _ arguments: [JSONValue] = [], timeoutMillis: Int? = nil) throws(WebDriverError) -> JSONValue {
        try client.command("POST", base + "/execute/async", ["script": .string(script), "args": .array(arguments)],
                           timeoutMillis: timeoutMillis)
    }

    public func cookies() throws(WebDriverError) -> [JSONValue] {
        try client.command("GET", base + "/cookie").arrayValue ?? []
    }

    /// Adds a cookie (`name`, `value`, and optionally `domain`, `path`, `secure`, `expiry`) for the current page's site.
    public func addCookie(_ cookie: JSONObject) throws(WebDriverError) {
        _ = try client.command("POST", base + "/cookie", ["cookie": .object(cookie)])
    }

    public func deleteAllCookies() throws(WebDriverError) {
        _ = try client.command("DELETE", base + "/cookie")
    }

    /// A PNG of the viewport.
    public func screenshot() throws(WebDriverError) -> [UInt8] {
        guard let text = try client.command("GET", base + "/screenshot").stringValue, let png = Base64.decode(text) else {
            throw WebDriverError(.malformedResponse, "screenshot answer is not base64")
        }
        return png
    }

    public func pageSource() throws(WebDriverError) -> String {
        try client.command("GET", base + "/source").stringValue ?? ""
    }
}
