/// A sold-listings page for a packaged snack laid out the way real ones are: a few listings of
/// the product in its pack size among other flavours, other pack sizes, mixed packs, lots,
/// other brands, a copy, a broken one, and eBay's "Results matching fewer words" section. Each
/// listing carries the label a person would give it and why, so the valuation can be held to it.
public enum ValuationTraps {
    public struct Listing: Sendable {
        public let itemID: String
        public let title: String
        /// Decimal string, USD.
        public let price: String
        public let shipping: String
        public let condition: String
        public let sold: Bool
        public let soldDate: String?
        /// After the fewer-words boundary.
        public let partialMatch: Bool
        /// `comparable`, or the rejection reason the valuation must give (`other_product`, ...).
        public let label: String
        /// Why, in a person's words.
        public let reason: String
    }

    public static let producer = "Crunchwell"
    public static let model = "Protein Bar Peanut Butter Chocolate 12 Count"

    public static let listings: [Listing] = [
        sale("1", "Crunchwell Protein Bar Peanut Butter Chocolate 12 Count Box", "24.00", "4.00", "2026-03-06",
             "comparable", "the product in its own 12-count box"),
        sale("2", "CRUNCHWELL protein bars peanut butter chocolate, 12ct", "25.50", "0.00", "2026-03-02",
             "comparable", "12ct is the same count"),
        sale("3", "Crunchwell Peanut Butter Chocolate Protein Bar - 12 Bars", "23.00", "5.00", "2026-02-27",
             "comparable", "12 bars is the 12-count box"),
        sale("4", "Crunchwell Protein Bar Peanut Butter Chocolate (12 count) exp 2027", "26.00", "3.50", "2026-02-20",
             "comparable", "same product, dated"),
        sale("5", "Crunchwell Protein Bar Peanut Butter Chocolate 12 Count", "22.00", "4.00", "2025-10-02",
             "comparable", "the product, sold five months earlier: weighs less"),
        sale("6", "Crunchwell Protein Bar Peanut Butter Chocolate 4 Count Box", "9.00", "3.00", "2026-03-05",
             "other_quantity", "a 4-count box"),
        sale("7", "Crunchwell Protein Bar Peanut Butter Chocolate 24 Count", "52.00", "0.00", "2026-03-01",
             "other_quantity", "a 24-count box"),
        sale("8", "Crunchwell Protein Bar Cookies and Cream 12 Count", "75.00", "0.00", "2026-03-04",
             "other_product", "another flavour"),
        sale("9", "Crunchwell Protein Bar Salted Caramel 12ct", "78.00", "0.00", "2026-03-03",
             "other_product", "another flavour"),
        sale("10", "Crunchwell Protein Bar Variety Pack 12 Count", "80.00", "0.00", "2026-02-28",
             "other_product", "a mixed pack of flavours"),
        sale("11", "Lot of 3 Crunchwell Protein Bar Peanut Butter Chocolate 12 Count boxes", "70.00", "0.00", "2026-02-26",
             "lot", "three boxes in one listing"),
        sale("12", "Barvolt Protein Bar Peanut Butter Chocolate 12 Count", "72.00", "0.00", "2026-02-25",
             "other_product", "another brand"),
        sale("13", "Protein Bar Peanut Butter Chocolate 12 Count inspired by Crunchwell", "74.00", "0.00", "2026-02-24",
             "replica", "a copy"),
        sale("14", "Crunchwell Protein Bar Peanut Butter Chocolate 12 Count - for parts, crushed box", "5.00", "0.00", "2026-02-23",
             "for_parts", "sold as damaged"),
        sale("15", "Crunchwell Protein Bar Peanut Butter Chocolate 12 Count", "79.00", "0.00", "2026-03-06",
             "partial_match", "under eBay's fewer-words boundary (the page does not vouch for it)", partial: true),
        sale("16", "Crunchwell Peanut Butter Protein Powder", "76.00", "0.00", "2026-03-05",
             "other_product", "under the boundary, and another product", partial: true),
        Listing(itemID: "17", title: "Crunchwell Protein Bar Peanut Butter Chocolate 12 Count", price: "27.00", shipping: "4.00",
                condition: "new", sold: false, soldDate: nil, partialMatch: false, label: "comparable", reason: "the product, still for sale"),
        Listing(itemID: "18", title: "Crunchwell Protein Bar Peanut Butter Chocolate 12ct box", price: "28.00", shipping: "0.00",
                condition: "new", sold: false, soldDate: nil, partialMatch: false, label: "comparable", reason: "the product, still for sale"),
    ]

    static func sale(_ id: String, _ title: String, _ price: String, _ shipping: String, _ date: String, _ label: String,
                     _ reason: String, partial: Bool = false) -> Listing
    {
        Listing(itemID: id, title: title, price: price, shipping: shipping, condition: label == "for_parts" ? "for_parts" : "new",
                sold: true, soldDate: date, partialMatch: partial, label: label, reason: reason)
    }

    /// The page as `lens-gpt search` prints it (`SearchListing.json` keys).
    public static var searchOutput: String {
        func quoted(_ s: String?) -> String {
            guard let s else { return "null" }
            return "\"" + s.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
        }
        let items = listings.map { l in
            "{\"title\": \(quoted(l.title)), \"link\": \"https://www.ebay.com/itm/90000000\(l.itemID)\", \"price\": \(quoted(l.price)), "
                + "\"price_max\": null, \"currency\": \"USD\", \"shipping\": \(quoted(l.shipping)), \"condition\": \(quoted(l.condition)), "
                + "\"wear\": null, \"sold\": \(l.sold), \"sold_date\": \(quoted(l.soldDate)), \"partial_match\": \(l.partialMatch)}"
        }
        return "{\"state\": \"results\", \"listings\": [" + items.joined(separator: ", ") + "]}"
    }
}
