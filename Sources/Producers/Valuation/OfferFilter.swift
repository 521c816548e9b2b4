import Extraction

/// Why a listing is not an offer for the product, from its title and wear.
enum OfferRejection: String, Sendable, Equatable {
    case lot
    case forParts = "for_parts"
    case replica
    case otherProduct = "other_product"
    /// The product in another pack size or count ("4 Count Box" for a 12-count box).
    case otherQuantity = "other_quantity"
    /// Shown by the site as a looser match ("Results matching fewer words").
    case partialMatch = "partial_match"
}

/// The rules that keep a listing out of the offers: lots, broken items, copies, accessories
/// and other models. Word lists are data; whole words only.
enum OfferFilter {
    /// Several items in one listing.
    static let lotPhrases: [[String]] = [
        ["lot", "of"], ["job", "lot"], ["set", "of"], ["bundle"], ["bulk"], ["wholesale"], ["konvolut"],
        ["paket"], ["sammlung"], ["lote", "de"], ["lot", "de"], ["lotto", "di"], ["partij"],
    ]
    /// Copies and look-alikes, and things made for the product rather than the product.
    static let replicaPhrases: [[String]] = [
        ["replica"], ["inspired", "by"], ["inspired"], ["dupe"], ["lookalike"], ["look", "alike"], ["imitation"], ["fake"],
        ["knockoff"], ["knock", "off"], ["counterfeit"], ["unbranded"], ["nachbau"], ["nachbildung"], ["replique"],
        ["style", "of"], ["compatible", "with"], ["replacement", "for"], ["for", "use", "with"], ["case", "for"],
        ["cover", "for"], ["strap", "for"], ["ear", "pad"], ["earpad"], ["box", "only"], ["empty", "box"],
    ]

    /// Nil when the listing may be an offer for `producer` `model`. The identity's own count
    /// ("… 12 Count") is the quantity a listing must have; without one, a single item.
    /// `partialMatch`: the site showed the listing as a looser match.
    static func rejection(title: String, wear: String?, producer: String, model: String, partialMatch: Bool = false) -> OfferRejection? {
        let words = ProductTitle(title)
        let wanted = QuantityWords.quantity(in: model)
        let found = QuantityWords.quantity(in: title)
        if let found, found.total != (wanted?.total ?? 1) {
            // Several of the product's own pack is a lot; another pack size is another product.
            return (found.multiplier ?? 1) > 1 && found.pack == wanted?.pack ? .lot : .otherQuantity
        }
        if found == nil, lotPhrases.contains(where: words.contains) { return .lot }
        if ConditionNormalizer.normalize(title) == .forParts { return .forParts }
        if let wear, ConditionNormalizer.normalize(wear) == .forParts { return .forParts }
        if replicaPhrases.contains(where: words.contains) { return .replica }
        let countWords = Set(QuantityWords.tokens(model).filter { Int($0) != nil && Int($0) == wanted?.total })
        if !words.matches(producer: producer, model: model, ignoring: countWords) { return .otherProduct }
        if found == nil, let wanted, wanted.total > 1 { return .otherQuantity }  // a count the title does not state does not agree
        if partialMatch { return .partialMatch }
        return nil
    }
}
