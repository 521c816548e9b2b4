/// Small helpers for decimal strings as the price parser writes them ("1234.50").
enum DecimalText {
    static func isZero(_ text: String) -> Bool {
        text.allSatisfy { $0 == "0" || $0 == "." }
    }
}
