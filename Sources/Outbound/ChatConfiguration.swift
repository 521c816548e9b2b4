import Glibc

/// Where the OpenAI-compatible chat API is and how to talk to it.
public struct ChatConfiguration: Sendable {
    public static let defaultBaseURL = "https://api.openai.com/v1"

    /// `OPENAI_API_KEY`; sent as `Authorization: Bearer`, or as `api-key` to Azure-style gateways.
    public var apiKey: String?
    /// `OPENAI_BASE_URL`. An Azure-style deployment URL with `?api-version=…` works: the path
    /// `/chat/completions` goes before the query.
    public var baseURL: String
    /// A local server (Ollama, llama.cpp, vLLM) needs no key: naming its URL turns the client on.
    public var baseURLWasSet: Bool
    public var model: String = "gpt-4o"
    /// Time limit of one attempt.
    public var timeoutMillis: Int = 60_000
    /// Retries after the first attempt, as the official clients default to.
    public var maxRetries: Int = 2
    /// Sent with every request, after the defaults (e.g. Azure's `api-key`).
    public var extraHeaders: [(String, String)] = []

    public init(apiKey: String? = nil, baseURL: String? = nil, model: String = "gpt-4o", timeoutMillis: Int = 60_000,
                maxRetries: Int = 2, extraHeaders: [(String, String)] = [])
    {
        self.apiKey = apiKey.flatMap { $0.isEmpty ? nil : $0 }
        let base = baseURL.flatMap { $0.isEmpty ? nil : $0 }
        self.baseURL = base ?? ChatConfiguration.defaultBaseURL
        self.baseURLWasSet = base != nil
        self.model = model
        self.timeoutMillis = timeoutMillis
        self.maxRetries = maxRetries
        self.extraHeaders = extraHeaders
    }

    /// From `OPENAI_API_KEY` and `OPENAI_BASE_URL`; `model` overrides the default model when given.
    /// An Azure-style base URL gets the key in an `api-key` header, which is how those gateways take it.
    public static func fromEnvironment(model: String?) -> ChatConfiguration {
        var environment: [String: String] = [:]
        for name in ["OPENAI_API_KEY", "OPENAI_BASE_URL"] {
            if let raw = getenv(name) { environment[name] = String(cString: raw) }
        }
        return from(environment: environment, model: model)
    }

    /// `fromEnvironment` over given variables (a test, or a caller that read them elsewhere).
    public static func from(environment: [String: String], model: String?) -> ChatConfiguration {
        func variable(_ name: String) -> String? {
            let value = environment[name]?.trimmingCharacters(where: { $0.isWhitespace }) ?? ""
            return value.isEmpty ? nil : value
        }
        var configuration = ChatConfiguration(apiKey: variable("OPENAI_API_KEY"), baseURL: variable("OPENAI_BASE_URL"))
        if let model, !model.isEmpty { configuration.model = model }
        if let key = configuration.apiKey, configuration.isAzureStyle {
            configuration.extraHeaders.append(("api-key", key))
        }
        return configuration
    }

    public var isEnabled: Bool { apiKey != nil || baseURLWasSet }

    /// An Azure OpenAI resource or a gateway that versions its API in the query.
    public var isAzureStyle: Bool {
        let lower = baseURL.lowercased()
        let host = lower.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false).dropFirst(2).first ?? ""
        return host.hasSuffix(".openai.azure.com") || host.hasSuffix(".cognitiveservices.azure.com") || lower.contains("api-version=")
    }

    /// `{base}/chat/completions`, with the path added before any query string.
    public var completionsURL: String {
        var base = baseURL
        var query = ""
        if let mark = base.firstIndex(of: "?") {
            query = String(base[mark...])
            base = String(base[..<mark])
        }
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/chat/completions" + query
    }
}
