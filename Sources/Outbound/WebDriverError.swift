/// A WebDriver failure: the spec's error code (W3C WebDriver, "Errors"), or the transport's.
public struct WebDriverError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case elementClickIntercepted = "element click intercepted"
        case elementNotInteractable = "element not interactable"
        case insecureCertificate = "insecure certificate"
        case invalidArgument = "invalid argument"
        case invalidCookieDomain = "invalid cookie domain"
        case invalidElementState = "invalid element state"
        case invalidSelector = "invalid selector"
        case invalidSessionID = "invalid session id"
        case javascriptError = "javascript error"
        case moveTargetOutOfBounds = "move target out of bounds"
        case noSuchAlert = "no such alert"
        case noSuchCookie = "no such cookie"
        case noSuchElement = "no such element"
        case noSuchFrame = "no such frame"
        case noSuchWindow = "no such window"
        case noSuchShadowRoot = "no such shadow root"
        case scriptTimeout = "script timeout"
        case sessionNotCreated = "session not created"
        case staleElementReference = "stale element reference"
        case detachedShadowRoot = "detached shadow root"
        case timeout = "timeout"
        case unableToSetCookie = "unable to set cookie"
        case unableToCaptureScreen = "unable to capture screen"
        case unexpectedAlertOpen = "unexpected alert open"
        case unknownCommand = "unknown command"
        case unknownError = "unknown error"
        case unknownMethod = "unknown method"
        case unsupportedOperation = "unsupported operation"
        /// The WebDriver server could not be reached or did not answer in time.
        case unreachable = "unreachable"
        /// The server answered something that is not a WebDriver response.
        case malformedResponse = "malformed response"
    }

    public let code: Code
    public let message: String
    /// The HTTP status of the answer (0 when there was none).
    public let status: Int

    public init(_ code: Code, _ message: String, status: Int = 0) {
        self.code = code
        self.message = message
        self.status = status
    }

    /// The session (or the browser behind it) cannot be trusted any more: drop it.
    public var endsSession: Bool {
        switch code {
        case .invalidSessionID, .sessionNotCreated, .unreachable, .malformedResponse, .unknownError, .noSuchWindow:
            return true
        default:
            return false
        }
    }

    public var description: String { "webdriver \(code.rawValue): \(message)" }
}
