import Testing
@testable import Extraction

/// The identifier labels are a JSON resource, tried in the file's order.
@Suite struct IdentifierLabelsTests {
    @Test func theLabelsLoadInOrder() {
        #expect(IdentifierReader.labels.count == 65)
        #expect(IdentifierReader.labels.first == "sku" && IdentifierReader.labels.last == "cod. articolo")
        #expect(IdentifierReader.labels.contains("ebay item number"))
        // "item no" before "item no.": the shorter label matches first, as before.
        let order = IdentifierReader.labels
        #expect((order.firstIndex(of: "item no") ?? 99) < (order.firstIndex(of: "item no.") ?? 0))
    }
}
