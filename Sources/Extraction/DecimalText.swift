/// Small helpers for decimal strings as the price parser writes them ("1234.50").
enum DecimalText {
    /// Equal as numbers: "18.00" == "18" == "018.0".
    static func equal(_ a: String?, _ b: String?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return canonical(a) == canonical(b)
    }

    /// Numeric order of two decimal strings (nil sorts last).
    static func less(_ a: String?, _ b: String?) -> Bool {
        guard let a else { return false }
        guard let b else { return true }
        let x = canonical(a).split(separator: ".", omittingEmptySubsequences: false)
        let y = canonical(b).split(separator: ".", omittingEmptySubsequences: false)
        let xi = String(x[0]), yi = String(y[0])
        if xi.count != yi.count { return xi.count < yi.count }
        if xi != yi { return xi < yi }
        return (x.count > 1 ? String(x[1]) : "") < (y.count > 1 ? String(y[1]) : "")
    }

    static func canonical(_ text: String) -> String {
        var s = text
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        let trimmed = String(s.drop(while: { $0 == "0" }))
        return trimmed.isEmpty || trimmed.hasPrefix(".") ? "0" + trimmed : trimmed
    }

    static func isZero(_ text: String) -> Bool {
        text.allSatisfy { $0 == "0" || $0 == "." }
    }
}
