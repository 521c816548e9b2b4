/// A product's condition on the scale the price stages compare on.
public enum ProductCondition: String, Sendable, CaseIterable {
    case new
    case likeNew = "like_new"
    case veryGood = "very_good"
    case good
    case acceptable
    case forParts = "for_parts"
    case used
    case unknown
}
