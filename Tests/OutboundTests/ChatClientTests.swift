import DemoWorld
import HTTP
import JSON
import Outbound
import TestSupport
import Testing

/// The chat client against the loopback OpenAI-compatible test server.
@Suite struct ChatClientTests {
    static func client(_ server: LLMTestServer, model: String = "gpt-4o", timeoutMillis: Int = 10_000,
                       maxRetries: Int = 2) -> ChatClient
    {
        ChatClient(configuration: ChatConfiguration(apiKey: "sk-test", baseURL: server.baseURL, model: model,
                                                    timeoutMillis: timeoutMillis, maxRetries: maxRetries))
    }

    static func identify(_ client: ChatClient) throws(ChatError) -> JSONValue {
        try client.complete(system: "Name the product in the photo.",
                            user: "Lens matches:\n- Nordlys Arc Desk Lamp\n- Arc Desk Lamp – Nordlys | Maison Boutique",
                            image: ChatImage(bytes: ChatSchemas.photo, mimeType: "image/png"),
                            schemaName: "product_identification", schema: ChatSchemas.identification)
    }

    @Test func identifiesTheProductFromPhotoAndTitles() throws {
        let server = try LLMTestServer()
        defer { server.shutdown() }
        let reply = try Self.identify(Self.client(server))
        #expect(reply["producer"] == "Nordlys")
        #expect(reply["model"] == "Arc Desk Lamp")
        #expect(reply["confidence"]?.doubleValue == 0.9)
        #expect(server.rejected.isEmpty)
        let request = try #require(server.lastRequest)
        #expect(request["temperature"]?.intValue == 0)
        #expect(request["response_format"]?["json_schema"]?["strict"] == true)
        let image = request["messages"]?[1]?["content"]?[1]?["image_url"]?["url"]?.stringValue
        #expect(image == "data:image/png;base64,iVBORw==")
        #expect(server.lastRequestHeaders?["Authorization"] == "Bearer sk-test")
    }

    @Test func choosesTheMakerPage() throws {
        let server = try LLMTestServer()
        defer { server.shutdown() }
        let reply = try Self.client(server).complete(
            system: "Pick the maker's own page.",
            user: "Product: Nordlys Arc Desk Lamp\nCandidates:\n1. https://www.lampshop.example/arc\n2. https://www.nordlys.example/arc-desk-lamp\n",
            schemaName: "maker_page_choice", schema: ChatSchemas.makerPage)
        #expect(reply["index"]?.intValue == 2)
        // Plain-string user content where there is no image.
        #expect(server.lastRequest?["messages"]?[1]?["content"]?.stringValue?.hasPrefix("Product:") == true)
    }

    @Test func readsRetailDetails() throws {
        let server = try LLMTestServer()
        defer { server.shutdown() }
        let page = ChatClient.quoted("<h1>Halden Meridian Chronograph 40 mm</h1> $345.00")
        let reply = try Self.client(server).complete(system: "Read the product page.", user: page,
                                                     schemaName: "retail_details", schema: ChatSchemas.retail)
        #expect(reply["name"] == "Halden Meridian Chronograph 40 mm")
        #expect(reply["price"] == "345.00")
        #expect(reply["currency"] == "USD")
        #expect(reply["material"] == .null)
        #expect(reply["specs"] == [])
    }

    @Test func aRequestOpenAIWouldRejectIsRejected() throws {
        let server = try LLMTestServer()
        defer { server.shutdown() }
        // The identification schema needs the photo.
        let noImage = #expect(throws: ChatError.self) {
            try Self.client(server).complete(system: "s", user: "Nordlys Arc Desk Lamp", schemaName: "product_identification",
                                             schema: ChatSchemas.identification)
        }
        #expect(noImage?.kind == .badRequest)
        // Strict mode needs additionalProperties: false on every object.
        let loose: JSONValue = ["type": "object", "properties": ["index": ["type": "integer"]], "required": ["index"]]
        let notStrict = #expect(throws: ChatError.self) {
            try Self.client(server).complete(system: "s", user: "u", schemaName: "maker_page_choice", schema: loose)
        }
        #expect(notStrict?.kind == .badRequest)
        let wrongModel = #expect(throws: ChatError.self) { try Self.identify(Self.client(server, model: "gpt-3.5")) }
        #expect(wrongModel?.kind == .badRequest)
        let unknown = #expect(throws: ChatError.self) {
            try Self.client(server).complete(system: "s", user: "u", schemaName: "horoscope", schema: ChatSchemas.makerPage)
        }
        #expect(unknown?.kind == .badRequest)
        #expect(server.requestCount == 4)  // 400s are not retried
        let reasons = server.rejected.joined(separator: "\n")
        #expect(reasons.contains("image_url"))
        #expect(reasons.contains("additionalProperties"))
        #expect(reasons.contains("gpt-3.5"))
        #expect(reasons.contains("horoscope"))
    }

    @Test func waitsAsRetryAfterSaysThenSucceeds() throws {
        let server = try LLMTestServer()
        defer { server.shutdown() }
        server.setFault(.rateLimited(retryAfterSeconds: 1, times: 1))
        let started = ContinuousClock.now
        let reply = try Self.identify(Self.client(server))
        let waited = ContinuousClock.now - started
        #expect(reply["producer"] == "Nordlys")
        #expect(server.requestCount == 2)
        #expect(waited >= .milliseconds(950))
        #expect(waited < .seconds(4))
    }

    @Test func givesUpAfterMaxRetriesOfServerErrors() throws {
        let server = try LLMTestServer()
        defer { server.shutdown() }
        server.setFault(.serverError(times: 3))
        let error = #expect(throws: ChatError.self) { try Self.identify(Self.client(server)) }
        #expect(error?.kind == .server)
        #expect(error?.retryable == true)
        #expect(server.requestCount == 3)
        // The fault has run out: the next call succeeds.
        #expect(try Self.identify(Self.client(server))["model"] == "Arc Desk Lamp")
    }

    @Test func obeysXShouldRetryFalse() throws {
        let server = try LLMTestServer()
        defer { server.shutdown() }
        server.setFault(.status(code: 503, errorCode: "overloaded", shouldRetry: false, times: 3))
        let error = #expect(throws: ChatError.self) { try Self.identify(Self.client(server)) }
        #expect(error?.kind == .server)
        #expect(server.requestCount == 1)
    }

    @Test(arguments: [
        (401, "invalid_api_key", ChatErrorKind.unauthorized),
        (403, "unsupported_country_region_territory", .unauthorized),
        (400, "context_length_exceeded", .badRequest),
        (404, "model_not_found", .badRequest),
        (429, "insufficient_quota", .quota),
    ])
    func doesNotRetryWhatWaitingCannotFix(status: Int, code: String, kind: ChatErrorKind) throws {
        let server = try LLMTestServer()
        defer { server.shutdown() }
        server.setFault(.status(code: status, errorCode: code, times: 3))
        let error = #expect(throws: ChatError.self) { try Self.identify(Self.client(server)) }
        #expect(error?.kind == kind)
        #expect(error?.retryable == false)
        #expect(error?.message.contains(code) == true)
        #expect(server.requestCount == 1)
    }

    @Test(arguments: [
        (LLMTestServer.Fault.invalidJSON, ChatErrorKind.invalidJSON),
        (.refusal, .refusal),
        (.truncated, .truncated),
    ])
    func badContentIsAnErrorNotACrash(fault: LLMTestServer.Fault, kind: ChatErrorKind) throws {
        let server = try LLMTestServer()
        defer { server.shutdown() }
        server.setFault(fault)
        let error = #expect(throws: ChatError.self) { try Self.identify(Self.client(server)) }
        #expect(error?.kind == kind)
        #expect(server.requestCount == 1)  // the same request would get the same answer
    }

    @Test func aReplyCutMidwayIsATransportError() throws {
        let server = try LLMTestServer()
        defer { server.shutdown() }
        server.setFault(.cutMidReply)
        let error = #expect(throws: ChatError.self) { try Self.identify(Self.client(server, maxRetries: 1)) }
        #expect(error?.kind == .transport)
        #expect(server.requestCount == 2)  // a broken connection is retried
    }

    @Test func aSlowServerTimesOut() throws {
        let server = try LLMTestServer()
        defer { server.shutdown() }
        server.setFault(.slow(millis: 5_000))
        let started = ContinuousClock.now
        let error = #expect(throws: ChatError.self) { try Self.identify(Self.client(server, timeoutMillis: 300, maxRetries: 0)) }
        #expect(error?.kind == .timeout)
        #expect(ContinuousClock.now - started < .seconds(3))
        // Slow but within the limit is fine.
        server.setFault(.slow(millis: 100))
        #expect(try Self.identify(Self.client(server, timeoutMillis: 5_000))["producer"] == "Nordlys")
    }

    @Test func isOffWithoutKeyOrBaseURL() throws {
        let configuration = ChatConfiguration()
        #expect(!configuration.isEnabled)
        let error = #expect(throws: ChatError.self) {
            try ChatClient(configuration: configuration).complete(system: "s", user: "u", schemaName: "maker_page_choice",
                                                                  schema: ChatSchemas.makerPage)
        }
        #expect(error?.kind == .disabled)
        #expect(ChatConfiguration(apiKey: "sk").isEnabled)
        #expect(ChatConfiguration(baseURL: "http://127.0.0.1:11434/v1").isEnabled)  // Ollama needs no key
        #expect(!ChatConfiguration(apiKey: "", baseURL: "").isEnabled)
    }

    @Test func worksWithAnAzureStyleDeploymentURL() throws {
        let server = try LLMTestServer()
        defer { server.shutdown() }
        var configuration = ChatConfiguration(apiKey: "azure-key", baseURL: server.baseURL + "/?api-version=2024-06-01")
        configuration.extraHeaders = [("api-key", "azure-key")]
        #expect(configuration.isAzureStyle)
        #expect(configuration.completionsURL == server.baseURL + "/chat/completions?api-version=2024-06-01")
        let reply = try Self.identify(ChatClient(configuration: configuration))
        #expect(reply["producer"] == "Nordlys")
        #expect(server.lastRequestHeaders?["api-key"] == "azure-key")
        #expect(server.lastRequestHeaders?["Authorization"] == nil)  // Azure takes the key in api-key only
    }

    @Test func anAnswerThatMissesTheSchemaIsAMismatch() throws {
        let server = try LLMTestServer()
        defer { server.shutdown() }
        // The server answers the three fields it knows; this schema also requires a fourth.
        guard case .object(var schema) = ChatSchemas.identification, case .object(var properties)? = schema["properties"] else {
            Issue.record("schema is not an object")
            return
        }
        properties["sku"] = ["type": "string"]
        schema["properties"] = .object(properties)
        schema["required"] = ["producer", "model", "confidence", "sku"]
        let error = #expect(throws: ChatError.self) {
            try Self.client(server).complete(system: "s", user: "Nordlys Arc Desk Lamp",
                                             image: ChatImage(bytes: ChatSchemas.photo, mimeType: "image/png"),
                                             schemaName: "product_identification", schema: .object(schema))
        }
        #expect(error?.kind == .schemaMismatch)
        #expect(error?.message.contains("sku") == true)
    }
}
