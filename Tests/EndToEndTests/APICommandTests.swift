import DemoWorld
import Foundation
import JSON
import TestSupport
import Testing

/// `lens-gpt lookup GTIN` and `lens-gpt search brave-api|google-cse --query Q` against the API
/// replicas: their JSON on stdout, and exit 1 with a JSON error naming the code otherwise.
@Suite(.enabled(if: lensGPTBinary != nil, "SKIPPED: no lens-gpt built beside the tests"))
struct APICommandTests {
    func run(_ arguments: [String], environment extra: [String: String]) throws -> ProgramOutput {
        try runLensGPT(arguments, unset: ["UPCITEMDB_USER_KEY", "BRAVE_SEARCH_API_KEY", "GOOGLE_CSE_API_KEY", "GOOGLE_CSE_ID"], set: extra)
    }

    func databases(_ replicas: BarcodeDatabaseReplicas) -> [String: String] {
        ["LENS_GPT_OPENFOODFACTS_URL": replicas.baseURL, "LENS_GPT_UPCITEMDB_URL": replicas.baseURL, "LENS_GPT_OPENLIBRARY_URL": replicas.baseURL]
    }

    @Test func lookupNamesTheProductOrNothingAndRefusesAWrongCheckDigit() throws {
        let replicas = try BarcodeDatabaseReplicas()
        defer { replicas.shutdown() }
        let entry = try #require(ShopCatalog.entry("vacuum-flask"))
        let found = try run(["lookup", ShopCatalog.barcodeSampleGTIN], environment: databases(replicas))
        #expect(found.status == 0, "\(found.err)")
        let object = try JSONParser.parse(found.out)
        #expect(object["gtin"] == .string("0" + ShopCatalog.barcodeSampleGTIN))
        let product = try #require(object["products"]?.arrayValue?.first)
        #expect(Set(product.objectValue?.keys ?? []) == ["source", "name", "brand", "model", "category", "image", "link"])
        #expect(product["source"] == "upcitemdb")
        #expect(product["brand"] == .string(entry.brand))
        #expect(product["name"] == .string("\(entry.brand) \(entry.name)"))

        let book = try run(["lookup", "978-0-306-40615-7"], environment: databases(replicas))
        #expect(book.status == 0, "\(book.err)")
        #expect(try JSONParser.parse(book.out)["products"]?.arrayValue?.map { $0["source"] } == ["openlibrary"])

        let unknown = try run(["lookup", "5901234123457"], environment: databases(replicas))
        #expect(unknown.status == 0, "\(unknown.err)")
        #expect(try JSONParser.parse(unknown.out)["products"] == [])

        let wrong = try run(["lookup", "4260315700041"], environment: databases(replicas))
        #expect(wrong.status == 1)
        #expect(wrong.out.isEmpty)
        let error = try JSONParser.parse(wrong.err)["error"]
        #expect(error?["code"] == "invalid_gtin")
        #expect(error?["message"]?.stringValue?.contains("check digit") == true)
    }

    @Test func lookupFailsWithTheCodeWhenNoDatabaseCanAnswer() throws {
        let replicas = try BarcodeDatabaseReplicas()
        defer { replicas.shutdown() }
        replicas.setMode(.rateLimited, for: BarcodeDatabaseReplicas.upcitemdb)
        var environment = databases(replicas)
        environment["LENS_GPT_OPENFOODFACTS_URL"] = "off"
        let limited = try run(["lookup", ShopCatalog.barcodeSampleGTIN], environment: environment)
        #expect(limited.status == 1, "\(limited.out)")
        let error = try JSONParser.parse(limited.err)["error"]
        #expect(error?["code"] == "api_rate_limited")
        #expect(error?["retryable"] == true)
        #expect((error?["retry_after_seconds"]?.intValue ?? 0) > 0)
    }

    @Test func searchThroughBothAPIs() throws {
        let replicas = try WebSearchAPIReplicas()
        defer { replicas.shutdown() }
        let entry = try #require(ShopCatalog.entry("vacuum-flask"))
        let environment = [
            "LENS_GPT_BRAVE_API_URL": replicas.baseURL, "LENS_GPT_GOOGLE_CSE_URL": replicas.baseURL,
            "BRAVE_SEARCH_API_KEY": WebSearchAPIReplicas.braveKey, "GOOGLE_CSE_API_KEY": WebSearchAPIReplicas.googleKey,
            "GOOGLE_CSE_ID": WebSearchAPIReplicas.googleEngineID,
        ]
        var orders: [[String]] = []
        for name in ["brave-api", "google-cse"] {
            let result = try run(["search", name, "--query", "\(entry.brand) \(entry.name)"], environment: environment)
            #expect(result.status == 0, "\(name): \(result.err)")
            let object = try JSONParser.parse(result.out)
            #expect(object["state"] == "results")
            let results = object["results"]?.arrayValue ?? []
            #expect(results.allSatisfy { Set($0.objectValue?.keys ?? []) == ["title", "link", "url", "snippet"] })
            #expect(results.contains { $0["url"] == .string(entry.maker.url) && $0["title"] == .string(entry.maker.title) })
            orders.append(results.compactMap { $0["url"]?.stringValue })
        }
        #expect(orders.count == 2 && orders[0] == orders[1] && !orders[0].isEmpty, "results in the replicas' order")

        let empty = try run(["search", "brave-api", "--query", "zzz nothing like it"], environment: environment)
        #expect(empty.status == 0)
        #expect(try JSONParser.parse(empty.out)["state"] == "empty")

        var wrongKey = environment
        wrongKey["GOOGLE_CSE_API_KEY"] = "secret-wrong-key"
        let refused = try run(["search", "google-cse", "--query", "flask"], environment: wrongKey)
        #expect(refused.status == 1)
        #expect(try JSONParser.parse(refused.err)["error"]?["code"] == "api_unauthorized")
        #expect(!refused.err.contains("secret-wrong-key"))

        replicas.setMode(.rateLimited, for: WebSearchAPIReplicas.brave)
        let limited = try run(["search", "brave-api", "--query", "flask"], environment: environment)
        #expect(limited.status == 1)
        #expect(try JSONParser.parse(limited.err)["error"]?["code"] == "api_rate_limited")

        let missing = try run(["search", "brave-api", "--query", "flask"], environment: [:])
        #expect(missing.status == 1)
        #expect(try JSONParser.parse(missing.err)["error"]?["message"]?.stringValue?.contains("BRAVE_SEARCH_API_KEY") == true)
    }
}
