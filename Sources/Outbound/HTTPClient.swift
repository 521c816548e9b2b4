import CCurl
import JSON
import Synchronization
import Secrets
import SystemSupport

/// Limits of outbound HTTP; each request may narrow them.
public struct HTTPClientConfiguration: Sendable {
    public var connectTimeoutMillis = 5_000
    /// Time limit of a whole exchange, redirects included.
    public var timeoutMillis = 30_000
    public var maxResponseBytes = 16 * 1024 * 1024
    public var maxRedirects = 5
    public var userAgent = "lens-gpt"
    /// Easy handles kept for reuse (each keeps its connections alive).
    public var maxIdleHandles = 8

    public init() {}
}

/// A blocking HTTP client over libcurl for the worker pool's threads (never an event loop's).
/// Handles are reused, so keep-alive connections survive between requests.
public final class HTTPClient: Sendable {
    public let configuration: HTTPClientConfiguration
    private let idle = Mutex<[CurlHandle]>([])

    public init(configuration: HTTPClientConfiguration = HTTPClientConfiguration()) {
        self.configuration = configuration
    }

    public func get(_ url: String, timeoutMillis: Int? = nil) throws(HTTPClientError) -> HTTPClientResponse {
        try send(HTTPClientRequest(url: url, timeoutMillis: timeoutMillis))
    }

    /// Sends `body` as JSON (nil: no body) and parses the answer as JSON whatever its status;
    /// the status comes back beside it for protocols (WebDriver) that put errors in the body.
    public func json(_ method: String, _ url: String, _ body: JSONValue? = nil,
                     timeoutMillis: Int? = nil) throws(HTTPClientError) -> (status: Int, value: JSONValue)
    {
        var request = body.map { HTTPClientRequest.json(method, url, $0, timeoutMillis: timeoutMillis) }
            ?? HTTPClientRequest(method: method, url: url, timeoutMillis: timeoutMillis)
        request.headers.append(("Accept", "application/json"))
        let response = try send(request)
        return (response.status, try response.json())
    }

    public func send(_ request: HTTPClientRequest) throws(HTTPClientError) -> HTTPClientResponse {
        guard let handle = takeHandle() else { throw HTTPClientError(.transport, "libcurl could not create a handle") }
        defer { putBack(handle) }

        let timeout = request.timeoutMillis ?? configuration.timeoutMillis
        let sink = ResponseAccumulator(maxBytes: request.maxResponseBytes ?? configuration.maxResponseBytes,
                                       keepsPrefix: request.truncatesLargeBodies)
        let sinkPointer = Unmanaged.passUnretained(sink).toOpaque()
        let connectGuard = request.addressPolicy.map(ConnectGuard.init)

        guard handle.set(CURLOPT_URL, request.url) == CURLE_OK else {
            throw HTTPClientError(.invalidRequest, "not a usable URL: \(MessageURL.display(request.url))")
        }
        handle.set(CURLOPT_NOSIGNAL, 1)  // timeouts without SIGALRM: safe in a threaded process
        handle.set(CURLOPT_PROTOCOLS_STR, "http,https")
        handle.set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        handle.set(CURLOPT_CONNECTTIMEOUT_MS, min(configuration.connectTimeoutMillis, timeout))
        handle.set(CURLOPT_TIMEOUT_MS, timeout)
        handle.set(CURLOPT_FOLLOWLOCATION, request.followRedirects ? 1 : 0)
        handle.set(CURLOPT_MAXREDIRS, configuration.maxRedirects)
        handle.set(CURLOPT_USERAGENT, configuration.userAgent)
        handle.set(CURLOPT_ACCEPT_ENCODING, "")  // every encoding libcurl can decode; the cap counts decoded bytes
        _ = ccurl_setopt_callback(handle.raw, CURLOPT_WRITEFUNCTION, curlWriteBody)
        _ = ccurl_setopt_pointer(handle.raw, CURLOPT_WRITEDATA, sinkPointer)
        _ = ccurl_setopt_callback(handle.raw, CURLOPT_HEADERFUNCTION, curlWriteHeader)
        _ = ccurl_setopt_pointer(handle.raw, CURLOPT_HEADERDATA, sinkPointer)
        if let proxy = request.proxy {
            handle.set(CURLOPT_PROXY, proxy)
            // With a proxy named here, the environment's no_proxy must not route around it.
            if !proxy.isEmpty { handle.set(CURLOPT_NOPROXY, "") }
        }
        if let connectGuard {
            _ = ccurl_setopt_opensocket(handle.raw, curlOpenSocket)
            _ = ccurl_setopt_pointer(handle.raw, CURLOPT_OPENSOCKETDATA, Unmanaged.passUnretained(connectGuard).toOpaque())
            handle.set(CURLOPT_FRESH_CONNECT, 1)
        }

        switch request.method {
        case "GET": handle.set(CURLOPT_HTTPGET, 1)
        case "HEAD": handle.set(CURLOPT_NOBODY, 1)
        default:
            if request.method != "POST" { handle.set(CURLOPT_CUSTOMREQUEST, request.method) }
        }
        // A body turns libcurl's request into a POST: GET and HEAD never carry one.
        let sendsBody = request.method != "GET" && request.method != "HEAD"
        if sendsBody, let body = request.body ?? (request.method == "POST" ? [] : nil) {
            _ = ccurl_setopt_off_t(handle.raw, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            // COPYPOSTFIELDS copies, so the bytes need not outlive this call.
            body.withUnsafeBytes { raw in
                if let base = raw.baseAddress {
                    _ = ccurl_setopt_pointer(handle.raw, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: base))
                } else {
                    handle.set(CURLOPT_COPYPOSTFIELDS, "")
                }
            }
        }

        var list: UnsafeMutablePointer<curl_slist>? = nil
        // An empty Expect stops libcurl from waiting for 100-continue on larger bodies.
        for (name, value) in request.headers + [("Expect", "")] {
            let clean = SingleLine.clean(value)
            let line = clean.isEmpty ? "\(name):" : "\(name): \(clean)"
            list = curl_slist_append(list, line)
        }
        defer { curl_slist_free_all(list) }
        _ = ccurl_setopt_slist(handle.raw, CURLOPT_HTTPHEADER, list)

        let code = withExtendedLifetime((sink, connectGuard)) { curl_easy_perform(handle.raw) }
        if let refused = connectGuard?.refused, !refused.isEmpty, code != CURLE_OK {
            throw HTTPClientError(.blocked, "\(request.method) \(MessageURL.display(request.url)): refused to connect to \(refused.joined(separator: ", "))")
        }
        let truncated = code == CURLE_WRITE_ERROR && sink.overflowed && request.truncatesLargeBodies
        guard code == CURLE_OK || truncated else { throw error(code, sink: sink, request: request, timeout: timeout) }

        var response = HTTPClientResponse(status: handle.info(CURLINFO_RESPONSE_CODE), headers: HTTPClient.parseHeaders(sink.headerLines),
                                          body: sink.body, url: handle.infoString(CURLINFO_EFFECTIVE_URL) ?? request.url)
        response.truncated = truncated
        response.redirectURL = handle.infoString(CURLINFO_REDIRECT_URL)
        return response
    }

    private func error(_ code: CURLcode, sink: ResponseAccumulator, request: HTTPClientRequest, timeout: Int) -> HTTPClientError {
        let reason = String(cString: curl_easy_strerror(code))
        // Never the query: API keys and signatures travel there, and this message reaches events.
        let target = "\(request.method) \(MessageURL.display(request.url))"
        switch code {
        case CURLE_WRITE_ERROR where sink.overflowed:
            return HTTPClientError(.tooLarge, "\(target): response larger than \(sink.maxBytes) bytes")
        case CURLE_OPERATION_TIMEDOUT:
            return HTTPClientError(.timeout, "\(target): no complete answer within \(timeout) ms")
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return HTTPClientError(.connect, "\(target): \(reason)")
        case CURLE_TOO_MANY_REDIRECTS:
            return HTTPClientError(.tooManyRedirects, "\(target): more than \(configuration.maxRedirects) redirects")
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return HTTPClientError(.invalidRequest, "\(target): \(reason)")
        default:
            return HTTPClientError(.transport, "\(target): \(reason)")
        }
    }

    static func parseHeaders(_ lines: [String]) -> [(String, String)] {
        lines.compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingCharacters(where: { $0.isWhitespace })  // "\r\n" is one Character
            return (name, value)
        }
    }

    private func takeHandle() -> CurlHandle? {
        if let handle = idle.withLock({ $0.popLast() }) { return handle }
        return CurlHandle()
    }

    private func putBack(_ handle: CurlHandle) {
        handle.reset()  // options off; connections and caches stay
        idle.withLock { handles in
            if handles.count < configuration.maxIdleHandles { handles.append(handle) }
        }
    }
}

extension StringProtocol {
    func trimmingCharacters(where drop: (Character) -> Bool) -> String {
        String(self.drop(while: drop).reversed().drop(while: drop).reversed())
    }
}
