/// Amounts as PROTOCOL.md writes money: a decimal string with the currency's minor digits
/// (`"65"` → `"65.00"`, yen stays whole).
enum Money {
    static func decimal(_ amount: String, currency: String?) -> String? {
        let parts = amount.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isNumber),
              parts.count == 1 || parts[1].allSatisfy(\.isNumber) else { return nil }
        if let currency, PriceText.zeroDecimal.contains(currency) { return amount }
        let fraction = parts.count == 2 ? String(parts[1]) : ""
        let padded = fraction.count >= 2 ? fraction : fraction + String(repeating: "0", count: 2 - fraction.count)
        return "\(whole).\(padded)"
    }
}
