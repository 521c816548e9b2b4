import Glibc
import JSON
import Producers

/// `lens-gpt search PROVIDER --query Q [--gtin G] [--country CC] [--max N]`: one Browse API
/// search (PROVIDER: its description's `search_provider`), printed as the page profiles print
/// theirs (`{"state", "listings"}`, each listing with `provider: PROVIDER`).
enum MarketplaceAPISearchRun {
    static func run(query: String?, gtin: String?, country: String, max: Int?, timeoutMillis: Int, options: MarketplaceAPIOptions) -> Never {
        let api: BrowseAPIClient
        let described = options.api
        do {
            guard let made = try options.client() else {
                CommandOutput.fail("invalid_settings", "\(described.searchProvider) \(described.keysetWanted)")
            }
            api = made
        } catch {
            CommandOutput.fail("invalid_settings", "\(error)")
        }
        let text = (query ?? "").split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let number = gtin?.filter { $0 != " " && $0 != "-" } ?? ""
        guard !text.isEmpty || !number.isEmpty else { CommandOutput.fail("invalid_settings", "--query or --gtin is required") }
        guard number.isEmpty || (number.count >= 8 && number.count <= 14 && number.allSatisfy(\.isNumber)) else {
            CommandOutput.fail("invalid_settings", "--gtin must be 8 to 14 digits, not \"\(gtin ?? "")\"")
        }
        if let max, !(1...200).contains(max) { CommandOutput.fail("invalid_settings", "--max must be from 1 to 200 for \(described.searchProvider)") }
        guard let search = MarketplaceAPISearch(api: api, country: country) else {
            CommandOutput.fail("invalid_settings", "\(described.owner) runs no marketplace for the country \(country)")
        }
        do {
            let listings = try search.listings(query: text.isEmpty ? nil : text, gtin: number.isEmpty ? nil : number, limit: max,
                                               timeoutMillis: timeoutMillis)
            let object: JSONValue = ["state": .string(listings.isEmpty ? "empty" : "results"), "listings": .array(listings.map(\.json))]
            print(object.serialized())
            exit(0)
        } catch {
            var failure: JSONObject = ["code": .string(error.code), "message": .string(error.message), "retryable": .bool(error.retryable)]
            if let wait = error.retryAfterSeconds { failure["retry_after_seconds"] = .int(wait) }
            CommandOutput.fail(.object(failure))
        }
    }
}
