/// One product a reader found, with what the chooser needs to tell the main one from
/// related products.
struct ProductCandidate: Sendable {
    var record: ProductRecord
    /// Position in the page (node index or block order): earlier wins ties.
    var order: Int
    /// How much the block says (properties, offers): the main product's block is the largest.
    var size: Int
}
