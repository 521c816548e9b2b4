import DemoWorld
import HTTP
import JSON
import Outbound
import Testing

/// The DemoWorld's vision model, through the real chat client over loopback HTTP: it names every
/// demo sample from the photo alone (recognised by its bytes) and knows nothing of other photos.
@Suite struct DemoLLMServerTests {
    static func client(_ server: DemoLLMServer) -> ChatClient {
        ChatClient(configuration: ChatConfiguration(apiKey: "demo", baseURL: server.baseURL, model: "demo-vision",
                                                    timeoutMillis: 10_000, maxRetries: 0))
    }

    static func identify(_ client: ChatClient, photo: [UInt8]) throws(ChatError) -> JSONValue {
        try client.complete(system: "You identify consumer products from a photo alone.",
                            user: "Which product is in the photo?", image: ChatImage(bytes: photo, mimeType: "image/png"),
                            schemaName: "product_identification", schema: ChatSchemas.identification)
    }

    @Test func namesEverySampleFromItsPhotoAlone() throws {
        let server = try DemoLLMServer()
        defer { server.shutdown() }
        let client = Self.client(server)
        for product in LensCatalog.products {
            let reply = try Self.identify(client, photo: product.photo)
            #expect(reply["producer"]?.stringValue == product.brand, "\(product.id)")
            #expect(reply["model"]?.stringValue == product.name, "\(product.id)")
            #expect(reply["confidence"]?.doubleValue == 0.9)
        }
        #expect(server.requestCount == LensCatalog.products.count)
    }

    @Test func anotherPhotoIsNotKnown() throws {
        let server = try DemoLLMServer()
        defer { server.shutdown() }
        var photo = try #require(LensCatalog.products.first).photo
        photo[photo.count - 1] ^= 0xFF  // one byte off: not a sample any more
        let reply = try Self.identify(Self.client(server), photo: photo)
        #expect(reply == ["producer": "", "model": "", "confidence": 0])
    }

    @Test func whenSwitchedOffItAnswersAsAnOverloadedServer() throws {
        let server = try DemoLLMServer()
        defer { server.shutdown() }
        server.setDown(true)
        let error = #expect(throws: ChatError.self) {
            try Self.identify(Self.client(server), photo: LensCatalog.products[0].photo)
        }
        #expect(error?.kind == .server)
        server.setDown(false)
        #expect(try Self.identify(Self.client(server), photo: LensCatalog.products[0].photo)["producer"] != "")
    }

    @Test func refusesWhatIsNotAChatCompletion() throws {
        let server = try DemoLLMServer()
        defer { server.shutdown() }
        #expect(server.respond(HTTPRequestHead(method: "GET", target: "/v1/chat/completions"), body: []).status == .methodNotAllowed)
        #expect(server.respond(HTTPRequestHead(method: "POST", target: "/v1/embeddings"), body: []).status == .notFound)
        let notJSON = server.respond(HTTPRequestHead(method: "POST", target: "/v1/chat/completions"), body: Array("hi".utf8))
        #expect(notJSON.status == .badRequest)
        #expect(try JSONParser.parse(notJSON.body)["error"]?["code"] == "invalid_request")
    }
}
