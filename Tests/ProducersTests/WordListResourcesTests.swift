import Testing
@testable import Producers

/// The word lists are JSON resources compiled in: each loads whole (a file that fails to parse
/// would leave its list empty and identification quietly worse).
@Suite struct WordListResourcesTests {
    @Test func theResellerBrandAndTitleSiteListsLoad() {
        #expect(ResellerCatalog.labels.count == 166)
        #expect(ResellerCatalog.labels.isSuperset(of: ["amazon", "walmart", "idealo", "youtube", "trustpilot"]))
        #expect(!ResellerCatalog.labels.contains("about"))
        #expect(BrandCatalog.entries.count == 170 && BrandCatalog.lines.count == 13)
        #expect(BrandCatalog.byAlias["hoka one one"] == "Hoka" && BrandCatalog.byAlias["b&o"] == "Bang & Olufsen")
        #expect(BrandCatalog.byLine["kindle"] == "Amazon" && BrandCatalog.byLine["steam deck"] == "Valve")
        #expect(TitleWords.siteFile("noise").count == 16 && TitleWords.siteFile("title_endings").count == 18)
        #expect(TitleWords.noise.isSuperset(of: ["amazon", "vestiaire", "www", "sale", "ebay"]))
        #expect(TitleWords.siteWords.isSuperset(of: ["zalando", "tiktok", "ebay"]))
    }
}
