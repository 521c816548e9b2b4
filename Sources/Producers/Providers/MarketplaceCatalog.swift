import Extraction

/// A second-hand marketplace: how to recognise its links and how it words condition.
public struct Marketplace: Sendable {
    public let name: String
    /// Registrable names it runs under in any country (`ebay` matches ebay.com, ebay.de, ebay.co.uk).
    public let labels: [String]
    /// Path fragments of a single listing (not a search or a shop page).
    public let listingPaths: [String]
    /// The site's own condition wording (lower-cased, whole text) → PROTOCOL.md condition; what
    /// is not here goes through `Extraction`'s ConditionNormalizer.
    public let conditionWords: [String: String]
    /// Labels the site prints before a listing's condition.
    public let conditionLabels: [String]

    /// The normalised condition of a listing's wear text.
    public func condition(of wear: String) -> String {
        let text = Marketplace.words(wear)
        if let own = conditionWords[text] { return own }
        // The site's words inside a longer text ("Gebraucht – in Ordnung"), longest first.
        for phrase in conditionWords.keys.sorted(by: { $0.count > $1.count }) where !phrase.isEmpty {
            if (" " + text + " ").contains(" " + phrase + " "), let own = conditionWords[phrase], own != "used" { return own }
        }
        return ConditionNormalizer.normalize(wear).rawValue
    }

    /// Lower-cased words joined by single spaces, as `conditionWords` are written.
    static func words(_ text: String) -> String {
        text.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber) }).joined(separator: " ")
    }

    /// Whether `link` is a single listing on this marketplace.
    public func isListing(_ link: String) -> Bool {
        guard let path = URLParts(link)?.path.lowercased() else { return false }
        return listingPaths.contains { path.contains($0) }
    }
}

/// The second-hand marketplaces the offers stage knows, as data: add an entry to teach it one.
public enum MarketplaceCatalog {
    /// Shared by sites that use the usual English grades.
    static let englishGrades: [String: String] = [
        "new": "new", "brand new": "new", "new with tags": "new", "new without tags": "new", "like new": "like_new",
        "excellent": "like_new", "very good": "very_good", "good": "good", "fair": "acceptable", "poor": "acceptable",
        "satisfactory": "acceptable", "used": "used", "pre owned": "used",
    ]

    public static let all: [Marketplace] = [
        Marketplace(name: "eBay", labels: ["ebay"], listingPaths: ["/itm/"], conditionWords: englishGrades.merging([
            "open box": "like_new", "new other see details": "new", "new other": "new",
            "certified refurbished": "like_new", "excellent refurbished": "like_new", "very good refurbished": "very_good",
            "good refurbished": "good", "seller refurbished": "very_good", "for parts or not working": "for_parts",
            "pre owned excellent": "like_new", "pre owned good": "good", "pre owned fair": "acceptable",
            "neu": "new", "neu sonstige siehe artikelbeschreibung": "new", "gebraucht": "used",
            "als ersatzteil defekt": "for_parts", "brandneu": "new", "neu mit etikett": "new",
            "hervorragend refurbished": "like_new", "sehr gut refurbished": "very_good", "gut refurbished": "good",
            "真新しい新品": "new", "新品": "new", "新品 その他": "new", "中古品": "used", "開封済み": "like_new",
            "部品取り用 動作未確認": "for_parts", "neuf": "new", "occasion": "used", "nuovo": "new", "usato": "used",
            "nuevo": "new", "de segunda mano": "used",
        ]) { $1 }, conditionLabels: ["condition", "zustand", "état", "condizione", "estado"]),
        Marketplace(name: "Vinted", labels: ["vinted"], listingPaths: ["/items/"], conditionWords: englishGrades.merging([
            "neu mit etikett": "new", "neu ohne etikett": "new", "sehr gut": "very_good", "gut": "good",
            "zufriedenstellend": "acceptable", "neuf avec étiquette": "new", "neuf sans étiquette": "new",
            "très bon état": "very_good", "bon état": "good", "satisfaisant": "acceptable",
        ]) { $1 }, conditionLabels: ["condition", "zustand", "état", "stato", "estado"]),
        Marketplace(name: "Kleinanzeigen", labels: ["kleinanzeigen", "ebay-kleinanzeigen"], listingPaths: ["/s-anzeige/"],
                    conditionWords: ["neu": "new", "sehr gut": "very_good", "gut": "good", "in ordnung": "acceptable",
                                     "defekt": "for_parts", "gebraucht": "used"],
                    conditionLabels: ["zustand"]),
        Marketplace(name: "Depop", labels: ["depop"], listingPaths: ["/products/"], conditionWords: englishGrades.merging([
            "used excellent": "like_new", "used good": "good", "used fair": "acceptable",
        ]) { $1 }, conditionLabels: ["condition"]),
        Marketplace(name: "Poshmark", labels: ["poshmark"], listingPaths: ["/listing/"], conditionWords: englishGrades.merging([
            "nwt": "new", "nwot": "new",
        ]) { $1 }, conditionLabels: ["condition"]),
        Marketplace(name: "Grailed", labels: ["grailed"], listingPaths: ["/listings/"], conditionWords: [
            "new never worn": "new", "new": "new", "gently used": "very_good", "used": "used", "very worn": "acceptable",
            "worn": "acceptable",
        ], conditionLabels: ["condition"]),
        Marketplace(name: "Vestiaire Collective", labels: ["vestiairecollective"], listingPaths: [".shtml"], conditionWords: [
            "never worn with tag": "new", "never worn": "new", "very good condition": "very_good",
            "good condition": "good", "fair condition": "acceptable",
        ], conditionLabels: ["condition"]),
        Marketplace(name: "Mercari", labels: ["mercari"], listingPaths: ["/item/", "/shops/product/"], conditionWords: englishGrades.merging([
            "新品 未使用": "new", "未使用に近い": "like_new", "目立った傷や汚れなし": "very_good", "やや傷や汚れあり": "good",
            "傷や汚れあり": "acceptable", "全体的に状態が悪い": "acceptable",
        ]) { $1 }, conditionLabels: ["condition", "商品の状態"]),
        Marketplace(name: "ThredUp", labels: ["thredup"], listingPaths: ["/product/"], conditionWords: englishGrades,
                    conditionLabels: ["condition"]),
        Marketplace(name: "The RealReal", labels: ["therealreal"], listingPaths: ["/products/"], conditionWords: [
            "pristine": "like_new", "excellent": "like_new", "very good": "very_good", "good": "good", "fair": "acceptable",
        ], conditionLabels: ["condition"]),
        Marketplace(name: "Reverb", labels: ["reverb"], listingPaths: ["/item/"], conditionWords: englishGrades.merging([
            "mint": "like_new", "b stock": "like_new", "non functioning": "for_parts",
        ]) { $1 }, conditionLabels: ["condition"]),
        Marketplace(name: "Chrono24", labels: ["chrono24"], listingPaths: ["/id"], conditionWords: [
            "unworn": "new", "very good": "very_good", "good": "good", "fair": "acceptable", "incomplete": "acceptable",
        ], conditionLabels: ["condition"]),
        Marketplace(name: "Back Market", labels: ["backmarket"], listingPaths: ["/p/"], conditionWords: [
            "premium": "like_new", "excellent": "like_new", "very good": "very_good", "good": "good", "fair": "acceptable",
        ], conditionLabels: ["condition", "état", "zustand"]),
        Marketplace(name: "Swappa", labels: ["swappa"], listingPaths: ["/listing/"], conditionWords: englishGrades.merging([
            "mint": "like_new",
        ]) { $1 }, conditionLabels: ["condition"]),
        Marketplace(name: "Wallapop", labels: ["wallapop"], listingPaths: ["/item/"], conditionWords: [
            "nuevo": "new", "como nuevo": "like_new", "en buen estado": "good", "en condiciones aceptables": "acceptable",
            "lo ha dado todo": "acceptable",
        ], conditionLabels: ["estado"]),
        Marketplace(name: "Leboncoin", labels: ["leboncoin"], listingPaths: ["/ad/", ".htm"], conditionWords: [
            "état neuf": "new", "très bon état": "very_good", "bon état": "good", "état satisfaisant": "acceptable",
            "pour pièces": "for_parts",
        ], conditionLabels: ["état"]),
        Marketplace(name: "Marktplaats", labels: ["marktplaats", "2dehands"], listingPaths: ["/v/", "/a/"], conditionWords: [
            "nieuw": "new", "zo goed als nieuw": "like_new", "gebruikt": "used", "niet werkend": "for_parts",
        ], conditionLabels: ["conditie", "staat"]),
        Marketplace(name: "Subito", labels: ["subito"], listingPaths: [".htm"], conditionWords: [
            "nuovo": "new", "come nuovo": "like_new", "ottimo": "very_good", "buono": "good", "danneggiato": "for_parts",
        ], conditionLabels: ["condizione"]),
        Marketplace(name: "OLX", labels: ["olx"], listingPaths: ["/d/", "/item/", "/oferta/"], conditionWords: [
            "nowe": "new", "używane": "used", "uszkodzone": "for_parts", "novo": "new", "usado": "used",
        ], conditionLabels: ["stan", "condição"]),
        Marketplace(name: "Blocket", labels: ["blocket", "tori", "finn", "dba", "tradera"], listingPaths: ["/annons/", "/item/", "/recommerce/", "/vi/"],
                    conditionWords: ["ny": "new", "som ny": "like_new", "bra skick": "good", "begagnad": "used"],
                    conditionLabels: ["skick", "tilstand", "kunto"]),
        Marketplace(name: "Facebook Marketplace", labels: [], listingPaths: ["/marketplace/item/"],
                    conditionWords: englishGrades.merging(["used like new": "like_new", "used good": "good", "used fair": "acceptable"]) { $1 },
                    conditionLabels: ["condition"]),
        Marketplace(name: "Catawiki", labels: ["catawiki"], listingPaths: ["/l/"], conditionWords: englishGrades,
                    conditionLabels: ["condition"]),
        Marketplace(name: "Rebag", labels: ["rebag"], listingPaths: ["/products/"], conditionWords: [
            "excellent": "like_new", "very good": "very_good", "good": "good", "fair": "acceptable",
        ], conditionLabels: ["condition"]),
    ]

    /// The shipped marketplace search profiles for a country (ISO 3166 alpha-2), in the order
    /// they run: eBay's site for the country and its sold listings everywhere eBay has one, then
    /// the country's own marketplaces. `SearchProfiles.marketplaces(forCountry:)` keeps those on
    /// by default with a site there.
    public static func searchProfiles(forCountry country: String) -> [String] {
        var names = ["ebay", "ebay-sold"]
        switch country.uppercased() {
        case "DE": names += ["kleinanzeigen", "vinted"]
        case "JP": names = ["mercari", "ebay", "ebay-sold"]
        case "US", "GB", "AU": names += ["depop", "vinted"]
        case "FR", "IT", "ES", "NL", "PL": names += ["vinted"]
        default: break
        }
        return names
    }

    /// The marketplace `link` belongs to, by its registrable name in any TLD; Facebook's
    /// marketplace by its path, since facebook.com is mostly not one.
    public static func marketplace(for link: String) -> Marketplace? {
        guard let host = DomainName.host(of: link) else { return nil }
        let label = DomainName.label(ofHost: host)
        if let found = all.first(where: { $0.labels.contains(label) }) { return found }
        if label == "facebook", let facebook = all.first(where: { $0.name == "Facebook Marketplace" }), facebook.isListing(link) {
            return facebook
        }
        return nil
    }
}
