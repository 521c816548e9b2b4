import DemoWorld
import JSON
import Pipeline
import Testing
@testable import Producers

@Suite struct ProducerURLTests {
    @Test func theMakerPageAmongTheLensMatches() throws {
        let producer = ProducerURLProducer(webSearch: nil, chat: nil)
        for entry in ShopCatalog.entries where entry.maker.inLensMatches {
            let found = try producer.find(candidates: try ShopWorld.lensMatches(entry.productID).map { .init(title: $0.title, link: $0.link) },
                                          identity: ShopWorld.identity(entry), timeoutMillis: 5_000)
            #expect(found.link == entry.maker.url)
            #expect(found.domain == entry.maker.domain)
            #expect(found.title == entry.maker.title)
        }
    }

    @Test func withoutTheMakerAmongTheMatchesOrASearchItIsNotFound() throws {
        let entry = try #require(ShopCatalog.entries.first { !$0.maker.inLensMatches })
        let producer = ProducerURLProducer(webSearch: nil, chat: StubChat([:]))
        #expect(throws: StageError.self) {
            try producer.find(candidates: try ShopWorld.lensMatches(entry.productID).map { .init(title: $0.title, link: $0.link) },
                              identity: ShopWorld.identity(entry), timeoutMillis: 5_000)
        }
        do {
            _ = try producer.find(candidates: [], identity: ShopWorld.identity(entry), timeoutMillis: 1_000)
        } catch {
            #expect(error.code == "maker_page_not_found" && !error.retryable)
        }
    }

    @Test func theSearchResultOnTheMakersSiteThatCoversTheModelWins() throws {
        let entry = try #require(ShopCatalog.entries.first { !$0.maker.inLensMatches })
        let hits = [
            SearchHit(title: "\(entry.brand) \(entry.name) – Nordic Living", link: "http://www.nordicliving.example/p/1"),
            SearchHit(title: "\(entry.otherModelName) | \(entry.brand)", link: "http://\(entry.maker.host)/p/other"),
            SearchHit(title: entry.maker.title, link: entry.maker.url),
        ]
        let chat = StubChat(["maker_page_choice": ["index": 1]])
        let producer = ProducerURLProducer(webSearch: FixedSearch(hits: hits), chat: chat)
        let found = try producer.find(candidates: [], identity: ShopWorld.identity(entry), timeoutMillis: 5_000)
        #expect(found.link == entry.maker.url)
        #expect(chat.questions.isEmpty, "no tie, so no LLM")
    }

    @Test func theLLMBreaksATieAndOnlyThen() throws {
        let identity = ProductIdentity(producer: "Nordlys", model: "Arc Desk Lamp", confidence: 0.9, method: "heuristic")
        let tied: [ProducerURLProducer.Candidate] = [
            .init(title: "Arc Desk Lamp | Nordlys", link: "http://www.nordlys.example/de/arc-desk-lamp"),
            .init(title: "Arc Desk Lamp | Nordlys", link: "http://www.nordlys.example/products/arc-desk-lamp"),
        ]
        let chat = StubChat(["maker_page_choice": ["index": 2]])
        let picked = try ProducerURLProducer(webSearch: nil, chat: chat).find(candidates: tied, identity: identity, timeoutMillis: 1_000)
        #expect(picked.link == tied[1].link)
        let question = try #require(chat.questions.first)
        #expect(question.schema == "maker_page_choice")
        #expect(question.user.contains("1. Arc Desk Lamp | Nordlys — http://www.nordlys.example/de/arc-desk-lamp"))
        // An answer out of range, or no LLM: the first in order.
        let wild = StubChat(["maker_page_choice": ["index": 7]])
        #expect(try ProducerURLProducer(webSearch: nil, chat: wild).find(candidates: tied, identity: identity, timeoutMillis: 1_000).link == tied[0].link)
        #expect(try ProducerURLProducer(webSearch: nil, chat: nil).find(candidates: tied, identity: identity, timeoutMillis: 1_000).link == tied[0].link)
    }

    @Test func anLLMMayNameAMakerSiteWithoutTheBrandsName() throws {
        let identity = ProductIdentity(producer: "On", model: "Cloudmonster", confidence: 0.9, method: "heuristic")
        let candidates: [ProducerURLProducer.Candidate] = [
            .init(title: "On Cloudmonster - Amazon.com", link: "https://www.amazon.com/dp/B0CLOUD"),
            .init(title: "Cloudmonster | On", link: "https://www.on-running.com/en-us/products/cloudmonster"),
        ]
        let chat = StubChat(["maker_page_choice": ["index": 1]])
        let found = try ProducerURLProducer(webSearch: nil, chat: chat).find(candidates: candidates, identity: identity, timeoutMillis: 1_000)
        #expect(found.domain == "on-running.com")
        #expect(chat.questions.first?.user.contains("amazon") == false, "resellers are never offered to the LLM")
        #expect(throws: StageError.self) {
            try ProducerURLProducer(webSearch: nil, chat: nil).find(candidates: candidates, identity: identity, timeoutMillis: 1_000)
        }
    }
}
