/// Draws an EAN-13 symbol from the standard's encoding (GS1 General Specifications §5.2):
/// start guard, six left digits in number sets A/B chosen by the first digit, centre guard,
/// six right digits in set C, end guard: 95 modules, with quiet zones either side.
enum EAN13Bars {
    /// Set A (odd parity) patterns for 0–9, one character per module, `1` a bar.
    static let setA = ["0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111", "0111011", "0110111", "0001011"]
    /// Which of the left six digits use set B, by the first (implied) digit: `A`/`B` per position.
    static let leftSets = ["AAAAAA", "AABABB", "AABBAB", "AABBBA", "ABAABB", "ABBAAB", "ABBBAA", "ABABAB", "ABABBA", "ABBABA"]

    /// Set C is set A with bars and spaces swapped; set B is set C read backwards.
    static func setC(_ digit: Int) -> String { String(setA[digit].map { $0 == "1" ? "0" : "1" }) }
    static func setB(_ digit: Int) -> String { String(setC(digit).reversed()) }

    /// The 95 modules of a 13-digit number (nil unless 13 digits).
    static func modules(_ digits: String) -> [Bool]? {
        let d = digits.compactMap(\.wholeNumberValue)
        guard d.count == 13, digits.count == 13 else { return nil }
        var pattern = "101"
        let sets = Array(leftSets[d[0]])
        for i in 1...6 { pattern += sets[i - 1] == "A" ? setA[d[i]] : setB(d[i]) }
        pattern += "01010"
        for i in 7...12 { pattern += setC(d[i]) }
        pattern += "101"
        return pattern.map { $0 == "1" }
    }

    /// Draws the symbol on a white field at pixel (`x`, `y`), `module` pixels per module and
    /// `height` pixels tall; the field includes the 11- and 7-module quiet zones.
    static func draw(_ digits: String, on canvas: inout Canvas, x: Int, y: Int, module: Int, height: Int) {
        guard let modules = modules(digits) else { return }
        let white: Canvas.Color = (255, 255, 255)
        canvas.fillPixels(x0: x, y0: y, x1: x + (11 + 95 + 7) * module, y1: y + height, white)
        for (i, bar) in modules.enumerated() where bar {
            let left = x + (11 + i) * module
            canvas.fillPixels(x0: left, y0: y + module * 2, x1: left + module, y1: y + height - module * 2, (16, 16, 16))
        }
    }
}
