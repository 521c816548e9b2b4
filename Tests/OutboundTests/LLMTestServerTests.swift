import DemoWorld
import HTTP
import JSON
import Outbound
import TestSupport
import Testing

/// The tests' OpenAI-compatible server (TestSupport) on its own: reply shape, the demo model's answers, request checks, faults, mounting.
@Suite struct LLMTestServerTests {
    static func request(schemaName: String, schema: JSONValue, text: String, image: Bool = false) -> [UInt8] {
        let content: JSONValue = image
            ? [["type": "text", "text": .string(text)], ["type": "image_url", "image_url": ["url": "data:image/png;base64,iVBORw=="]]]
            : .string(text)
        let body: JSONValue = [
            "model": "gpt-4o",
            "messages": [["role": "system", "content": "s"], ["role": "user", "content": content]],
            "response_format": ["type": "json_schema", "json_schema": ["name": .string(schemaName), "strict": true, "schema": schema]],
        ]
        return body.serializedBytes()
    }

    static let post = HTTPRequestHead(method: "POST", target: "/v1/chat/completions")

    static func content(_ response: HTTPResponse) throws -> JSONValue {
        let completion = try JSONParser.parse(response.body)
        return try JSONParser.parse(try #require(completion["choices"]?[0]?["message"]?["content"]?.stringValue))
    }

    @Test func answersAWellFormedChatCompletion() throws {
        let server = try LLMTestServer()
        defer { server.shutdown() }
        let response = server.respond(Self.post, body: Self.request(schemaName: "product_identification", schema: ChatSchemas.identification,
                                                                    text: "Used Kestrel Trail Running Shoe, good condition", image: true))
        #expect(response.status == .ok)
        let completion = try JSONParser.parse(response.body)
        #expect(completion["object"] == "chat.completion")
        #expect(completion["model"] == "gpt-4o")
        #expect(completion["id"]?.stringValue?.hasPrefix("chatcmpl-") == true)
        #expect(completion["choices"]?[0]?["finish_reason"] == "stop")
        #expect(completion["usage"]?["total_tokens"]?.intValue != nil)
        let reply = try Self.content(response)
        #expect(reply == ["producer": "Kestrel", "model": "Trail Running Shoe", "confidence": .number("0.9")])
    }

    @Test func answersNothingFoundWhenNoCatalogProductIsNamed() throws {
        let server = try LLMTestServer()
        defer { server.shutdown() }
        let identified = server.respond(Self.post, body: Self.request(schemaName: "product_identification",
                                                                      schema: ChatSchemas.identification, text: "a blue vase", image: true))
        #expect(try Self.content(identified) == ["producer": "", "model": "", "confidence": 0])
        let choice = server.respond(Self.post, body: Self.request(schemaName: "maker_page_choice", schema: ChatSchemas.makerPage,
                                                                  text: "Sonique Orbit Wireless Headphones\n1. https://a.example/\n2. https://b.example/"))
        #expect(try Self.content(choice) == ["index": 0])
    }

    @Test func refusesWrongPathsAndMethods() throws {
        let server = try LLMTestServer()
        defer { server.shutdown() }
        #expect(server.respond(HTTPRequestHead(method: "POST", target: "/v1/completions"), body: []).status == .notFound)
        let get = server.respond(HTTPRequestHead(method: "GET", target: "/v1/chat/completions"), body: [])
        #expect(get.status == .methodNotAllowed)
        #expect(get.headers["Allow"] == "POST")
        let notJSON = server.respond(Self.post, body: Array("hello".utf8))
        #expect(notJSON.status == .badRequest)
        #expect(try JSONParser.parse(notJSON.body)["error"]?["type"] == "invalid_request_error")
        #expect(server.rejected == ["the body is not a JSON object"])
    }

    @Test func countedFaultsRunOutThenTheServerAnswersNormally() throws {
        let server = try LLMTestServer()
        defer { server.shutdown() }
        server.setFault(.rateLimited(retryAfterSeconds: 2, times: 2))
        let body = Self.request(schemaName: "maker_page_choice", schema: ChatSchemas.makerPage, text: "x")
        for _ in 0..<2 {
            let limited = server.respond(Self.post, body: body)
            #expect(limited.status.code == 429)
            #expect(limited.headers["Retry-After"] == "2")
            #expect(limited.headers["retry-after-ms"] == "2000")
            #expect(try JSONParser.parse(limited.body)["error"]?["code"] == "rate_limit_exceeded")
        }
        #expect(server.respond(Self.post, body: body).status == .ok)
        server.setFault(.serverError(times: 1))
        #expect(server.respond(Self.post, body: body).status.code == 500)
        #expect(server.respond(Self.post, body: body).status == .ok)
        #expect(server.requestCount == 5)
    }

    @Test func mountsInsideAnotherServerWithEveryFault() throws {
        let llm = try LLMTestServer()
        defer { llm.shutdown() }
        let host = try HTTPServer.loopback(routing: { head, _ in
            head.path.hasPrefix("/v1/") ? llm.handler() : BufferedRequestHandler { _, _, writer in writer.send(.text(.notFound, "no")) }
        })
        defer { host.shutdown() }
        let client = ChatClient(configuration: ChatConfiguration(baseURL: "http://127.0.0.1:\(host.port)/v1", timeoutMillis: 5_000,
                                                                 maxRetries: 0))
        llm.setFault(.slow(millis: 150))
        let started = ContinuousClock.now
        let reply = try client.complete(system: "s", user: "Fjordware Ceramic Mug 350 ml\n1. https://fjordware.example/mug",
                                        schemaName: "maker_page_choice", schema: ChatSchemas.makerPage)
        #expect(reply["index"] == 1)
        #expect(ContinuousClock.now - started >= .milliseconds(150))
        llm.setFault(.cutMidReply)
        let error = #expect(throws: ChatError.self) {
            try client.complete(system: "s", user: "u", schemaName: "maker_page_choice", schema: ChatSchemas.makerPage)
        }
        #expect(error?.kind == .transport)
    }
}
