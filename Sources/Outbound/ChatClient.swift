import Glibc
import JSON

/// An OpenAI-compatible chat completions client (OpenAI, Azure-style gateways, Ollama, llama.cpp,
/// vLLM). Blocking: it runs on the worker pool's threads and sleeps there between retries.
public final class ChatClient: Sendable {
    public let configuration: ChatConfiguration
    let http: HTTPClient
    /// A reply larger than this is not a structured answer of a few fields.
    static let maxReplyBytes = 4 * 1024 * 1024

    public init(configuration: ChatConfiguration, http: HTTPClient = HTTPClient()) {
        self.configuration = configuration
        self.http = http
    }

    public var isEnabled: Bool { configuration.isEnabled }

    /// One completion constrained by a strict JSON schema, at temperature 0; returns the reply's JSON
    /// object. At most `maxRetries + 1` attempts of `timeoutMillis` each, with the official clients'
    /// waits between them.
    public func complete(system: String, user: String, image: ChatImage? = nil, schemaName: String, schema: JSONValue,
                         maxTokens: Int = 800) throws(ChatError) -> JSONValue
    {
        guard isEnabled else { throw ChatError(.disabled, "no OPENAI_API_KEY or OPENAI_BASE_URL: the LLM is off") }
        let body = requestBody(system: system, user: user, image: image, schemaName: schemaName, schema: schema,
                               maxTokens: maxTokens)
        var request = HTTPClientRequest.json("POST", configuration.completionsURL, body, timeoutMillis: configuration.timeoutMillis)
        request.headers.append(("Accept", "application/json"))
        request.maxResponseBytes = ChatClient.maxReplyBytes
        request.followRedirects = false
        if let key = configuration.apiKey, !configuration.extraHeaders.contains(where: { $0.0.lowercased() == "api-key" }) {
            request.headers.append(("Authorization", "Bearer \(key)"))
        }
        request.headers += configuration.extraHeaders

        var retries = 0
        while true {
            let outcome = attempt(request)
            switch outcome {
            case .success(let reply):
                return try ChatReply.content(of: reply, schemaName: schemaName, schema: schema)
            case .failure(let failure):
                guard failure.retry, retries < configuration.maxRetries else { throw failure.error }
                let wait = ChatRetryPolicy.delaySeconds(retriesSoFar: retries, headers: failure.headers,
                                                        jitter: Double.random(in: 0..<1))
                ChatClient.sleep(seconds: wait)
                retries += 1
            }
        }
    }

    /// What one failed attempt tells the retry loop.
    struct AttemptFailure: Error {
        var error: ChatError
        var retry: Bool
        var headers: [(String, String)] = []
    }

    private func attempt(_ request: HTTPClientRequest) -> Result<HTTPClientResponse, AttemptFailure> {
        let response: HTTPClientResponse
        do {
            response = try http.send(request)
        } catch {
            // Timeouts and broken connections are retried, as the official clients do.
            switch error.kind {
            case .timeout:
                return .failure(AttemptFailure(error: ChatError(.timeout, error.message), retry: true))
            case .tooLarge:
                return .failure(AttemptFailure(error: ChatError(.invalidJSON, error.message), retry: false))
            case .invalidRequest, .blocked:
                return .failure(AttemptFailure(error: ChatError(.badRequest, error.message), retry: false))
            case .connect, .transport, .tooManyRedirects, .badResponse:
                return .failure(AttemptFailure(error: ChatError(.transport, error.message), retry: true))
            }
        }
        if (200..<300).contains(response.status) { return .success(response) }

        let detail = (try? JSONParser.parse(response.body))?["error"]
        let code = detail?["code"]?.stringValue ?? detail?["type"]?.stringValue
        let text = detail?["message"]?.stringValue ?? String(decoding: response.body.prefix(300), as: UTF8.self)
        let message = "HTTP \(response.status)\(code.map { " \($0)" } ?? ""): \(text)"
        let kind: ChatErrorKind
        switch response.status {
        case 401, 403: kind = .unauthorized
        case 408: kind = .timeout
        case 429: kind = code == "insufficient_quota" ? .quota : .rateLimited
        case 409, 500...: kind = .server
        default: kind = .badRequest
        }
        let retry = ChatRetryPolicy.shouldRetry(status: response.status, headers: response.headers, errorCode: code)
        return .failure(AttemptFailure(error: ChatError(kind, message), retry: retry, headers: response.headers))
    }

    func requestBody(system: String, user: String, image: ChatImage?, schemaName: String, schema: JSONValue,
                     maxTokens: Int) -> JSONValue
    {
        // Plain-string content where there is no image: some local servers know no content parts.
        let userContent: JSONValue = image.map { image in
            [["type": "text", "text": .string(user)],
             ["type": "image_url", "image_url": ["url": .string(image.dataURL)]]]
        } ?? .string(user)
        return [
            "model": .string(configuration.model),
            "messages": [
                ["role": "system", "content": .string(system)],
                ["role": "user", "content": userContent],
            ],
            "temperature": 0,
            "max_tokens": .int(maxTokens),
            "response_format": [
                "type": "json_schema",
                "json_schema": ["name": .string(schemaName), "strict": true, "schema": schema],
            ],
        ]
    }

    static func sleep(seconds: Double) {
        guard seconds > 0 else { return }
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}
