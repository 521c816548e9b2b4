import Foundation
import JSON
import Pipeline
import Synchronization
import TestSupport
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
        [.init(FixedProducer(ImageInfoProducer.key, imageInfo)),
         .init(FixedProducer(LensMatchesProducer.key, matches)),
         .init(IdentificationProducer(chat: chat), dependsOn: ["image-info"], optionallyAfter: ["lens-matches"])]
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
        let call = try #require(chat.calls.first)
        #expect(result["producer"] == "Sony")
        #expect(result["model"] == "WH-1000XM4")
        #expect(result["confidence"] == .number("0.93"))
        #expect(result["method"] == "llm")
        #expect(result["evidence"] == ["llm", "visual-matches"])
        // Every match names it: the LLM's answer is supported by all three titles.
        #expect(result["candidates"]?[0]?["support"] == 1)
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

    /// What needs an identity, as in the real tree.
    static func dependants() -> [PipelineGraph.Node] {
        [.init(FixedProducer(stage: "producer-url", output: 1), dependsOn: ["model-producer"]),
         .init(FixedProducer(stage: "estimated-price", output: 1), dependsOn: ["model-producer"])]
    }

    @Test func matchesThatAgreeOnNothingGiveNoIdentityAndSkipWhatNeedsOne() throws {
        let stream = try runGraph([
            .init(FixedProducer(ImageInfoProducer.key, imageInfo)),
            .init(FixedProducer(LensMatchesProducer.key, [
                lensMatch("Samsung Galaxy S21 Ultra 5G 256GB", "https://x.example/1", position: 1),
                lensMatch("Apple iPhone 12 Pro Max 128GB", "https://x.example/2", position: 2),
                lensMatch("Google Pixel 7a Unlocked", "https://x.example/3", position: 3),
                lensMatch("Motorola RAZR V3 flip phone", "https://x.example/4", position: 4),
                lensMatch("Nokia 2660 flip phone", "https://x.example/5", position: 5),
            ])),
            .init(IdentificationProducer(chat: nil), dependsOn: ["image-info"], optionallyAfter: ["lens-matches"]),
        ] + Self.dependants())
        let result = try #require(payloads(stream, "model-producer").first)
        #expect(result["producer"] == .null)
        #expect(result["model"] == .null)
        #expect(result["method"] == "heuristic")
        let confidence = try #require(result["confidence"]?.doubleValue)
        #expect(confidence < IdentificationProducer.defaultFloor)
        #expect((result["candidates"]?.arrayValue?.count ?? 0) >= 2)
        #expect(result["candidates"]?[0]?["producer"]?.stringValue != nil)
        #expect(result["evidence"] == ["visual-matches"])
        #expect(payloads(stream, "stage-error").isEmpty)
        let skipped = payloads(stream, "progress").filter { $0["state"] == "skipped" }
        #expect(Set(skipped.compactMap { $0["stage"]?.stringValue }) == ["producer-url", "estimated-price"])
        #expect(skipped.allSatisfy { $0["code"] == "unidentified" && $0["message"]?.stringValue?.contains("floor") == true })
        #expect(stream.status == .partial)
    }

    @Test func aHigherFloorTurnsTheSameAnswerIntoAnAbstention() throws {
        let strict = try runGraph([
            .init(FixedProducer(ImageInfoProducer.key, imageInfo)),
            .init(FixedProducer(LensMatchesProducer.key, matches)),
            .init(IdentificationProducer(chat: nil, floor: 0.99), dependsOn: ["image-info"], optionallyAfter: ["lens-matches"]),
        ] + Self.dependants())
        let result = try #require(payloads(strict, "model-producer").first)
        #expect(result["producer"] == .null)
        #expect(result["floor"] == .number("0.99"))
        #expect(result["candidates"]?[0]?["producer"] == "Sony")
    }

    /// A photo on disk for the stages that attach it (the bytes need not be a real image here).
    static func photo() throws -> String {
        let path = NSTemporaryDirectory() + "lens-gpt-photo-" + UUID().uuidString + ".png"
        try Data([0x89]).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func withoutMatchesTheVisionModelNamesItFromThePhoto() throws {
        let chat = ScriptedChat(.success(["producer": "Sony", "model": "WH-1000XM4", "confidence": 0.8]))
        let photo = try Self.photo()
        defer { try? FileManager.default.removeItem(atPath: photo) }
        let stream = try runGraph([
            .init(FixedProducer(ImageInfoProducer.key, imageInfo)),
            .init(FailingProducer(stage: "lens-matches")),
            .init(IdentificationProducer(chat: chat), dependsOn: ["image-info"], optionallyAfter: ["lens-matches"]),
        ] + Self.dependants(), imagePath: photo)
        let result = try #require(payloads(stream, "model-producer").first)
        #expect(result["producer"] == "Sony")
        #expect(result["method"] == "llm-photo")
        #expect(result["evidence"] == ["llm-photo"])
        let call = try #require(chat.calls.first)
        #expect(call.hadImage)
        #expect(!call.user.contains("Visual-search results"))
        #expect(payloads(stream, "producer-url").count == 0)  // FixedProducer emits nothing; it ran:
        #expect(payloads(stream, "progress").contains { $0["stage"] == "producer-url" && $0["state"] == "finished" })
    }

    @Test func aVisionModelBelowTheFloorIsNoAnswer() throws {
        let chat = ScriptedChat(.success(["producer": "Sony", "model": "WH-1000XM4", "confidence": 0.2]))
        let photo = try Self.photo()
        defer { try? FileManager.default.removeItem(atPath: photo) }
        let stream = try runGraph([
            .init(FixedProducer(ImageInfoProducer.key, imageInfo)),
            .init(IdentificationProducer(chat: chat), dependsOn: ["image-info"]),
        ] + Self.dependants(), imagePath: photo)
        let result = try #require(payloads(stream, "model-producer").first)
        #expect(result["producer"] == .null)
        #expect(result["method"] == "llm-photo")
        #expect(result["candidates"]?[0]?["model"] == "WH-1000XM4")
        #expect(payloads(stream, "progress").contains { $0["stage"] == "producer-url" && $0["code"] == "unidentified" })
    }

    @Test func withNothingToGoOnItSaysSo() throws {
        let stream = try runGraph([
            .init(FixedProducer(ImageInfoProducer.key, imageInfo)),
            .init(FailingProducer(stage: "lens-matches")),
            .init(IdentificationProducer(chat: nil), dependsOn: ["image-info"], optionallyAfter: ["lens-matches"]),
        ] + Self.dependants())
        let result = try #require(payloads(stream, "model-producer").first)
        #expect(result == ["producer": nil, "model": nil, "confidence": 0, "method": "none", "candidates": [], "evidence": [],
                           "floor": .double(IdentificationProducer.defaultFloor)])
        let skip = try #require(payloads(stream, "progress").first { $0["stage"] == "producer-url" })
        #expect(skip["message"] == "no visual matches and no vision model to identify the photo")
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
            .init(FixedProducer(SecondHandOffersProducer.key, .init(offers: offers, failures: []))),
            .init(FixedProducer(RetailDetailsProducer.key, RetailDetails(producerURL: "https://m.example", price: "300.00", currency: "EUR", method: "structured-data"))),
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
            .init(FixedProducer(SecondHandOffersProducer.key, .init(offers: [offer("50.00", "USD", "good"), offer("55.00", "USD", "good"), offer("60.00", "USD", "like_new")], failures: []))),
            .init(FailingProducer(stage: "retail-price-details")),
            .init(EstimatedPriceProducer(), dependsOn: ["second-hand-offers"], optionallyAfter: ["retail-price-details"]),
        ])
        #expect(payloads(stream, "estimated-price").first?["price"] == "55.00")
    }

    /// The offers stage's report reaches the estimate: its rejected counts and sell-through, and a
    /// looser match among the offers is counted and never priced.
    @Test func theOffersReportSaysWhatWasLeftOut() throws {
        var tally = OfferTally()
        tally.rejected = ["other_quantity": 3, "lot": 1]
        tally.sold = 3
        tally.active = 1
        var partial = offer("400.00", "USD", "good")
        partial.partialMatch = true
        let sold = [("50.00", "2026-03-01"), ("55.00", "2026-03-02"), ("60.00", "2026-03-03")].map { price, date -> SecondHandOffer in
            var sale = offer(price, "USD", "good")
            sale.sold = true
            sale.soldDate = date
            return sale
        }
        let report = SecondHandOffersProducer.Report(offers: sold + [offer("58.00", "USD", "good"), partial], failures: [], tally: tally)
        let stream = try runGraph([
            .init(FixedProducer(SecondHandOffersProducer.key, report)),
            .init(EstimatedPriceProducer(), dependsOn: ["second-hand-offers"]),
        ])
        let estimate = try #require(payloads(stream, "estimated-price").first)
        #expect(estimate["rejected"]?["other_quantity"] == 3)
        #expect(estimate["rejected"]?["lot"] == 1)
        #expect(estimate["rejected"]?["partial_match"] == 1)
        #expect(estimate["sell_through"]?["rate"] == .number("0.75"))
        #expect(estimate["comparables"]?.arrayValue?.count == 3, "the three sales alone")
        // The median sale, nudged towards the latest by recency; never towards the looser match's 400.
        let price = try #require(estimate["price"]?.stringValue.flatMap(Double.init))
        #expect(price > 55 && price < 56, "\(price)")
    }

    @Test func fewOffersFallBackToRetail() throws {
        let stream = try runGraph([
            .init(FixedProducer(SecondHandOffersProducer.key, .init(offers: [], failures: []))),
            .init(FixedProducer(RetailDetailsProducer.key, RetailDetails(producerURL: "https://m.example", price: "129.00", currency: "USD", method: "structured-data"))),
            .init(EstimatedPriceProducer(), dependsOn: ["second-hand-offers"], optionallyAfter: ["retail-price-details"]),
        ])
        let estimate = try #require(payloads(stream, "estimated-price").first)
        #expect(estimate == ["price": "43.00", "min_range": "32.25", "max_range": "51.60", "certainty": .number("0.2"),
                             "currency": "USD", "basis": "retail", "sample_size": 0, "comparables": [],
                             "rejected": ["other_product": 0, "other_quantity": 0, "partial_match": 0, "lot": 0, "for_parts": 0,
                                          "replica": 0, "outlier": 0],
                             "sell_through": .null])
    }
}
