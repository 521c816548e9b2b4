import Extraction

/// Why a listing is not an offer for the product, from its title and wear.
enum OfferRejection: String, Sendable, Equatable {
    case lot
    case forParts = "for_parts"
    case replica
    case otherProduct = "other_product"
}

/// The rules that keep a listing out of the offers: lots, broken items, copies, accessories
/// and other models. Word lists are data; whole words only.
enum OfferFilter {
    /// Several items in one listing.
    static let lotPhrases: [[String]] = [
        ["lot", "of"], ["job", "lot"], ["set", "of"], ["pack", "of"], ["bundle"], ["bulk"], ["wholesale"], ["konvolut"],
        ["paket"], ["sammlung"], ["lote", "de"], ["lot", "de"], ["lotto", "di"], ["partij"],
    ]
    /// Copies and look-alikes, and things made for the product rather than the product.
    static let replicaPhrases: [[String]] = [
        ["replica"], ["inspired", "by"], ["inspired"], ["dupe"], ["lookalike"], ["look", "alike"], ["imitation"], ["fake"],
        ["knockoff"], ["knock", "off"], ["counterfeit"], ["unbranded"], ["nachbau"], ["nachbildung"], ["replique"],
        ["style", "of"], ["compatible", "with"], ["replacement", "for"], ["for", "use", "with"], ["case", "for"],
        ["cover", "for"], ["strap", "for"], ["ear", "pad"], ["earpad"], ["box", "only"], ["empty", "box"],
    ]

    /// Nil when the listing may be an offer for `producer` `model`.
    static func rejection(title: String, wear: String?, producer: String, model: String) -> OfferRejection? {
        let words = ProductTitle(title)
        if lotPhrases.contains(where: words.contains) || hasMultiplier(title) { return .lot }
        if ConditionNormalizer.normalize(title) == .forParts { return .forParts }
        if let wear, ConditionNormalizer.normalize(wear) == .forParts { return .forParts }
        if replicaPhrases.contains(where: words.contains) { return .replica }
        if !words.matches(producer: producer, model: model) { return .otherProduct }
        return nil
    }

    /// `3x`, `x3`, `2 x`, `x 2`, `×2` as a count of items.
    static func hasMultiplier(_ title: String) -> Bool {
        let raw = title.lowercased().replacing("×", with: "x")
            .split(whereSeparator: { $0.isWhitespace || $0 == "," || $0 == "(" || $0 == ")" }).map(String.init)
        func isCount(_ text: String) -> Bool { text.count <= 2 && Int(text).map { $0 >= 2 } == true }
        for (index, word) in raw.enumerated() {
            if word.hasSuffix("x"), isCount(String(word.dropLast())) { return true }
            if word.hasPrefix("x"), isCount(String(word.dropFirst())) { return true }
            let following = index + 1 < raw.count ? raw[index + 1] : ""
            if isCount(word) && following == "x" { return true }
            if word == "x" && isCount(following) { return true }
        }
        return false
    }
}
