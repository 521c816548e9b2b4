import DemoWorld
import Foundation
import JSON
import TestSupport
import Testing

/// `lens-gpt search ebay-api` and `lens-gpt visual-search --provider ebay-image` against the
/// eBay API replica: JSON on stdout and exit 0, or a JSON error naming its code on stderr and exit 1.
@Suite(.serialized, .enabled(if: lensGPTBinary != nil, "SKIPPED: no lens-gpt built beside the tests"))
struct EbayCommandLineTests {
    static let entry = ShopCatalog.entries[0]

    func run(_ arguments: [String], world: DemoWorld?, keys: Bool = true) throws -> (status: Int32, out: String, err: JSONValue?) {
        var set: [String: String] = [:]
        if keys {
            set["EBAY_CLIENT_ID"] = EbayAPIReplica.clientID
            set["EBAY_CLIENT_SECRET"] = EbayAPIReplica.clientSecret
        }
        if let world { set["LENS_GPT_EBAY_API_URL"] = world.ebayAPIURL }
        let result = try runLensGPT(arguments, unset: ["EBAY_CLIENT_ID", "EBAY_CLIENT_SECRET", "LENS_GPT_EBAY_API_URL", "LENS_GPT_COUNTRY"],
                                    set: set)
        return (result.status, result.out, try? JSONParser.parse(result.err)["error"])
    }

    @Test func searchPrintsListingsAsThePageProfilesDo() throws {
        let world = try DemoWorld()
        defer { world.shutdown() }
        let result = try run(["search", "ebay-api", "--query", "\(Self.entry.brand) \(Self.entry.name)", "--country", "DE", "--max", "2"],
                             world: world)
        #expect(result.status == 0, "\(String(describing: result.err))")
        let object = try JSONParser.parse(result.out)
        #expect(object["state"] == "results")
        let listings = object["listings"]?.arrayValue ?? []
        #expect(listings.count == 2)
        let pageKeys: Set<String> = ["title", "link", "price", "price_max", "currency", "shipping", "condition", "wear", "sold", "sold_date"]
        #expect(listings.allSatisfy { pageKeys.isSubset(of: Set($0.objectValue?.keys ?? [])) && $0["provider"] == "ebay-api" })
        #expect(world.ebayAPI.requests.last?.marketplace == "EBAY_DE" && world.ebayAPI.requests.last?.limit == "2")

        let none = try run(["search", "ebay-api", "--gtin", "0000000000000"], world: world)
        #expect(none.status == 0)
        #expect(try JSONParser.parse(none.out) == ["state": "empty", "listings": []])
    }

    @Test func failuresNameTheirCode() throws {
        let world = try DemoWorld()
        defer { world.shutdown() }
        world.ebayAPI.rateLimitSeconds.store(12, ordering: .relaxed)
        let limited = try run(["search", "ebay-api", "--query", "flask"], world: world)
        #expect(limited.status == 1)
        #expect(limited.err?["code"] == "api_rate_limited" && limited.err?["retry_after_seconds"] == 12 && limited.err?["retryable"] == true)

        let noKeys = try run(["search", "ebay-api", "--query", "flask"], world: world, keys: false)
        #expect(noKeys.status == 1 && noKeys.err?["code"] == "invalid_settings")
        let badNumber = try run(["search", "ebay-api", "--gtin", "12ab"], world: world)
        #expect(badNumber.status == 1 && badNumber.err?["code"] == "invalid_settings")
        let photo = NSTemporaryDirectory() + "ebay-cli-\(UUID().uuidString).png"
        #expect(FileManager.default.createFile(atPath: photo, contents: Data(LensCatalog.products[0].photo)))
        defer { try? FileManager.default.removeItem(atPath: photo) }
        let image = try run(["visual-search", photo, "--provider", "ebay-image"], world: world)
        #expect(image.status == 1 && image.err?["code"] == "api_rate_limited" && image.err?["provider"] == "ebay-image")
    }

    @Test func visualSearchPrintsEbayImageMatches() throws {
        let world = try DemoWorld()
        defer { world.shutdown() }
        let product = LensCatalog.products[1]
        let entry = try #require(ShopCatalog.entry(product.id))
        let photo = NSTemporaryDirectory() + "ebay-cli-\(UUID().uuidString).png"
        #expect(FileManager.default.createFile(atPath: photo, contents: Data(product.photo)))
        defer { try? FileManager.default.removeItem(atPath: photo) }
        let result = try run(["visual-search", photo, "--provider", "ebay-image"], world: world)
        #expect(result.status == 0, "\(String(describing: result.err))")
        let object = try JSONParser.parse(result.out)
        #expect(object["provider"] == "ebay-image")
        let matches = object["matches"]?.arrayValue ?? []
        #expect(Set(matches.compactMap { $0["link"]?.stringValue }) == Set(entry.listings.filter(\.inSearch).map(\.url)))
        #expect(matches.allSatisfy { $0["price"] != nil && $0["provider"] == "ebay-image" })

        let unknown = try run(["visual-search", "/nonexistent.png", "--provider", "ebay-image"], world: world)
        #expect(unknown.status == 1 && unknown.err?["code"] == "image_missing")
        let bad = try run(["visual-search", photo, "--provider", "bing-visual"], world: world)
        #expect(bad.status == 1 && bad.err?["code"] == "invalid_settings")
    }
}
