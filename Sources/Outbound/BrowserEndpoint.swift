/// Where browser sessions come from: a WebDriver URL someone else runs (a sidecar, Selenium
/// Grid), or a chromedriver this process starts and restarts itself.
public enum BrowserEndpoint: Sendable {
    case remote(WebDriverClient)
    case local(ChromeDriverProcess, HTTPClient)

    /// A client for the endpoint as it is now (a local chromedriver is started if it is not running).
    public func client() throws(WebDriverError) -> WebDriverClient {
        switch self {
        case .remote(let client):
            return client
        case .local(let process, let http):
            do {
                return WebDriverClient(baseURL: try process.ensureRunning(), http: http)
            } catch {
                throw WebDriverError(.unreachable, error.description)
            }
        }
    }

    /// Stops what this process started.
    public func shutdown() {
        if case .local(let process, _) = self { process.stop() }
    }
}
