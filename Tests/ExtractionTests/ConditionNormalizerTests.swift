import Extraction
import Testing

struct ConditionNormalizerTests {
    @Test(arguments: [
        ("https://schema.org/NewCondition", ProductCondition.new), ("UsedCondition", .used),
        ("http://schema.org/RefurbishedCondition", .veryGood), ("DamagedCondition", .forParts),
        ("Pre-owned", .used), ("Gebraucht", .used), ("Gebraucht – sehr gut", .veryGood), ("Très bon état", .veryGood),
        ("Bon état", .good), ("Satisfaisant", .acceptable), ("New with tags", .new), ("Neuf sans étiquette", .new),
        ("Used - Like New", .likeNew), ("Comme neuf", .likeNew), ("For parts or not working", .forParts),
        ("Für Bastler", .forParts), ("Used – Acceptable", .acceptable), ("usato", .used), ("б/у", .used),
        ("Open box", .likeNew), ("", .unknown), ("Blue", .unknown),
    ])
    func normalizes(_ raw: String, _ expected: ProductCondition) {
        #expect(ConditionNormalizer.normalize(raw) == expected)
    }

    @Test func missingIsUnknown() {
        #expect(ConditionNormalizer.normalize(nil) == .unknown)
    }

    @Test(arguments: [
        ("http://schema.org/InStock", "InStock"), ("https://schema.org/OutOfStock", "OutOfStock"), ("instock", "InStock"),
        ("in_stock", "InStock"), ("Out of stock", "OutOfStock"), ("SoldOut", "SoldOut"), ("PreOrder", "PreOrder"),
        ("pre-order", "PreOrder"), ("schema:BackOrder", "BackOrder"), ("LimitedAvailability", "LimitedAvailability"),
    ])
    func availability(_ raw: String, _ expected: String) {
        #expect(Availability.normalize(raw) == expected)
    }

    @Test func unknownAvailabilityIsNil() {
        #expect(Availability.normalize("call us") == nil)
    }
}
