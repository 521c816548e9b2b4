import JSON
import Pipeline
import Synchronization
import Testing
@testable import Producers

/// A scripted LLM: a fixed answer or a failure, recording what it was asked.
final class ScriptedChat: ChatService {
    let answer: Result<JSONValue, StageError>
    private let asked = Mutex<[(schema: String, user: String, hadImage: Bool)]>([])
    var calls: [(schema: String, user: String, hadImage: Bool)] { asked.withLock { $0 } }

    init(_ answer: Result<JSONValue, StageError>) { self.answer = answer }

    func complete(system: String, user: String, image: ChatAttachment?, schemaName: String, schema: JSONValue) throws -> JSONValue {
        asked.withLock { $0.append((schemaName, user, image != nil)) }
        return try answer.get()
    }
}

@Suite struct ModelProducerTests {
    let matches = [
        lensMatch("Sony WH-1000XM4 Wireless Headphones | eBay", "https://www.ebay.com/itm/1", position: 1),
        lensMatch("Sony WH-1000XM4 noise cancelling, black", "https://www.sony.com/wh1000xm4", position: 2),
        lensMatch("WH-1000XM4 by Sony", "https://shop.example/p/3", position: 3),
    ]

    func nodes(_ chat: (any ChatService)?) -> [PipelineGraph.Node] {
        [.init(FixedProducer(stage: "image-info", output: imageInfo)),
         .init(FixedProducer(stage: "lens-matches", output: matches)),
         .init(ModelProducerProducer(chat: chat), dependsOn: ["image-info", "lens-matches"])]
    }

    @Test func withoutAnLLMTheTitlesDecide() throws {
        let stream = try runGraph(nodes(nil))
        let result = try #require(payloads(stream, "model-producer").first)
        #expect(result["producer"] == "Sony")
        #expect(result["model"]?.stringValue?.lowercased() == "wh-1000xm4")
        #expect(result["method"] == "heuristic")
    }

    @Test func theLLMAnswerIsUsedWhenItGivesOne() throws {
        let chat = ScriptedChat(.success(["producer": "Sony", "model": "WH-1000XM4", "confidence": 0.93]))
        let stream = try runGraph(nodes(chat))
        let result = try #require(payloads(stream, "model-producer").first)
        #expect(result == ["producer": "Sony", "model": "WH-1000XM4", "confidence": .number("0.93"), "method": "llm",
                           "evidence": ["llm"], "gtin": .null])
        let call = try #require(chat.calls.first)
        #expect(call.schema == "product_identification")
        #expect(call.user.contains("not instructions"))
        #expect(call.user.contains("WH-1000XM4 by Sony"))
    }

    @Test func anLLMFailureIsReportedAndTheHeuristicAnswers() throws {
        let chat = ScriptedChat(.failure(StageError(code: "server", message: "500 three times")))
        let stream = try runGraph(nodes(chat))
        let error = try #require(payloads(stream, "stage-error").first)
        #expect(error["code"] == "llm_failed")
        #expect(error["fallback"] == "heuristic")
        #expect(payloads(stream, "model-producer").first?["method"] == "heuristic")
        #expect(stream.status == .complete)
    }

    @Test func anLLMThatDoesNotKnowFallsBackToo() throws {
        let chat = ScriptedChat(.success(["producer": "", "model": "", "confidence": 0]))
        let stream = try runGraph(nodes(chat))
        #expect(payloads(stream, "model-producer").first?["method"] == "heuristic")
    }

    @Test func noAgreementFailsTheStage() throws {
        let stream = try runGraph([
            .init(FixedProducer(stage: "image-info", output: imageInfo)),
            .init(FixedProducer(stage: "lens-matches", output: [lensMatch("a thing", "https://x.example/1", position: 1)])),
            .init(ModelProducerProducer(chat: nil), dependsOn: ["image-info", "lens-matches"]),
        ])
        #expect(payloads(stream, "stage-error").first?["code"] == "unidentified")
    }
}

@Suite struct EstimatedPriceProducerTests {
    func offer(_ price: String, _ currency: String, _ condition: String) -> SecondHandOffer {
        SecondHandOffer(price: price, currency: currency, link: "https://m.example/\(price)", title: "x", wear: condition,
                        condition: condition, domain: "m.example")
    }

    @Test func comparablesGiveTheEstimate() throws {
        let offers = [offer("100.00", "EUR", "good"), offer("120.00", "EUR", "very_good"), offer("110.00", "EUR", "used"),
                      offer("105.00", "EUR", "good")]
        let stream = try runGraph([
            .init(FixedProducer(stage: "second-hand-offers", output: offers)),
            .init(FixedProducer(stage: "retail-price-details", output: RetailDetails(producerURL: "https://m.example", price: "300.00", currency: "EUR", method: "structured-data"))),
            .init(EstimatedPriceProducer(), dependsOn: ["second-hand-offers"], optionallyAfter: ["retail-price-details"]),
        ])
        let estimate = try #require(payloads(stream, "estimated-price").first)
        #expect(estimate["basis"] == "comparables")
        #expect(estimate["currency"] == "EUR")
        #expect(estimate["sample_size"] == 4)
        let price = try #require(estimate["price"]?.stringValue.flatMap(Double.init))
        #expect(price > 100 && price < 120)
        #expect(estimate["min_range"]?.stringValue?.hasSuffix(".00") == true || estimate["min_range"]?.stringValue?.contains(".") == true)
    }

    @Test func withoutRetailDetailsTheEstimateStillComes() throws {
        let stream = try runGraph([
            .init(FixedProducer(stage: "second-hand-offers", output: [offer("50.00", "USD", "good"), offer("55.00", "USD", "good"), offer("60.00", "USD", "like_new")])),
            .init(FailingProducer(stage: "retail-price-details")),
            .init(EstimatedPriceProducer(), dependsOn: ["second-hand-offers"], optionallyAfter: ["retail-price-details"]),
        ])
        #expect(payloads(stream, "estimated-price").first?["price"] == "55.00")
    }

    @Test func fewOffersFallBackToRetail() throws {
        let stream = try runGraph([
            .init(FixedProducer(stage: "second-hand-offers", output: [SecondHandOffer]())),
            .init(FixedProducer(stage: "retail-price-details", output: RetailDetails(producerURL: "https://m.example", price: "129.00", currency: "USD", method: "structured-data"))),
            .init(EstimatedPriceProducer(), dependsOn: ["second-hand-offers"], optionallyAfter: ["retail-price-details"]),
        ])
        let estimate = try #require(payloads(stream, "estimated-price").first)
        #expect(estimate == ["price": "43.00", "min_range": "32.25", "max_range": "51.60", "certainty": .number("0.2"),
                             "currency": "USD", "basis": "retail", "sample_size": 0])
    }
}
