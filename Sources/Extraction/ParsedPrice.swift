/// What the price parser read from one piece of text.
public struct ParsedPrice: Sendable, Equatable {
    /// The amount as a plain decimal string: separators normalised, digits kept as found
    /// ("1.234,50 €" → "1234.50"), redundant leading zeros dropped. Nil when no price was read.
    public var amount: String?
    /// ISO 4217 code, when the currency text (or a hint) says which currency it is.
    public var currency: String?
    /// The currency text exactly as it appeared ("€", "R$", "руб.").
    public var currencyText: String?

    public init(amount: String? = nil, currency: String? = nil, currencyText: String? = nil) {
        self.amount = amount
        self.currency = currency
        self.currencyText = currencyText
    }
}
