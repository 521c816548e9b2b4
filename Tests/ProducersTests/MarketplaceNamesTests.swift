import Foundation
import Testing
import TestSupport
@testable import Producers

/// Marketplaces are data: no Swift file in `Sources` names one (their profile files, the API
/// descriptions and the word lists do). The demo world's replicas of real sites are the exception.
@Suite struct MarketplaceNamesTests {
    /// Every shipped marketplace's name and registrable names, and the big shops the title and reseller lists hold.
    static var names: Set<String> {
        var names: Set<String> = ["amazon", "walmart", "aliexpress", "temu", "rakuten", "otto", "zalando", "etsy", "facebook"]
        for market in MarketplaceCatalog.all {
            names.insert(market.id.lowercased())
            names.formUnion(market.labels + market.listingOnlyLabels)
        }
        return names
    }

    static let exempt = ["Sources/DemoWorld/"]

    /// Where `name` stands as a word of its own in `text`: not inside a longer lower-case word
    /// ("bottom", "cotton", "lotto" are not Otto), but at a boundary of a camel-case identifier
    /// (`EbayAPI`, `ebayClientID`) or a constant (`EBAY_CLIENT_ID`).
    static func mentions(_ name: String, in text: String) -> Bool {
        guard !name.isEmpty, text.lowercased().contains(name) else { return false }
        let scalars = Array(text.unicodeScalars)
        let lower = Array(text.lowercased().unicodeScalars)
        let wanted = Array(name.unicodeScalars)
        guard lower.count == scalars.count, wanted.count <= lower.count else { return text.lowercased().contains(name) }
        func isLowerLetter(_ index: Int) -> Bool {
            index >= 0 && index < scalars.count && CharacterSet.lowercaseLetters.contains(scalars[index])
        }
        var start = 0
        while start + wanted.count <= lower.count {
            if lower[start] == wanted[0], Array(lower[start..<(start + wanted.count)]) == wanted,
               !isLowerLetter(start - 1), !isLowerLetter(start + wanted.count) {
                return true
            }
            start += 1
        }
        return false
    }

    @Test func theCheckFindsANameAndNotAWordThatHoldsOne() {
        #expect(Self.mentions("ebay", in: "struct EbayBrowseAPI {}"))
        #expect(Self.mentions("ebay", in: "let ebayClientID = SecretSetting(\"EBAY_CLIENT_ID\")"))
        #expect(Self.mentions("otto", in: "\"otto\", \"zalando\""))
        #expect(!Self.mentions("otto", in: "var left, top, right, bottom: Int // cotton, lotto"))
    }

    @Test func noSwiftFileOutsideTheDemoWorldNamesAMarketplace() throws {
        let sources = PeerData.packageRoot.appendingPathComponent("Sources")
        let files = try #require(FileManager.default.enumerator(atPath: sources.path)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") }
        #expect(files.count > 100)
        let names = Self.names
        #expect(names.contains("ebay") && names.contains("vinted") && names.contains("kleinanzeigen"))
        for file in files where !Self.exempt.contains(where: { ("Sources/" + file).hasPrefix($0) }) {
            let text = try String(contentsOfFile: sources.appendingPathComponent(file).path, encoding: .utf8)
            for name in names.sorted() where Self.mentions(name, in: text) {
                Issue.record("Sources/\(file) names the marketplace \(name)")
            }
        }
    }
}
