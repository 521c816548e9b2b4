import JSON
import Outbound
import Pipeline
import Producers

/// The outbound chat client as the stages' chat services.
struct ChatAdapter: ChatService, StructuredChat {
    let client: ChatClient

    func complete(system: String, user: String, image: ChatAttachment?, schemaName: String, schema: JSONValue) throws -> JSONValue {
        try client.complete(system: system, user: user, image: image.map { ChatImage(bytes: $0.bytes, mimeType: $0.mimeType) },
                            schemaName: schemaName, schema: schema)
    }

    func complete(system: String, user: String, schemaName: String, schema: JSONValue) throws -> JSONValue {
        try client.complete(system: system, user: user, image: nil, schemaName: schemaName, schema: schema)
    }
}

/// The SSRF-guarded fetcher as the stages' page source; its errors become stage errors.
struct FetcherPages: PageSource {
    let policy: FetchPolicy
    let http: HTTPClient

    func fetchPage(_ url: String) throws -> (url: String, status: Int, body: [UInt8]) {
        try fetchPage(url, timeoutMillis: policy.timeoutMillis)
    }

    func fetchPage(_ url: String, timeoutMillis: Int) throws -> (url: String, status: Int, body: [UInt8]) {
        var narrowed = policy
        narrowed.timeoutMillis = max(1, min(policy.timeoutMillis, timeoutMillis))
        do {
            let page = try PageFetcher(policy: narrowed, http: http).fetch(url)
            return (page.url, page.status, page.body)
        } catch {
            throw StageError(code: error.code, message: error.message, retryable: error.retryable)
        }
    }
}
