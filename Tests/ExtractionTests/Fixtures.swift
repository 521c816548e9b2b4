import Foundation
import TestSupport

extension PeerData {
    /// A page kept in `Tests/ExtractionTests/Fixtures`.
    static func fixture(_ name: String) throws -> [UInt8] {
        try testFile("ExtractionTests/Fixtures/" + name)
    }
}

/// Decimal strings compared by value: "12.50" == "12.5" == "012.50".
func sameDecimal(_ a: String?, _ b: String?) -> Bool {
    func canonical(_ s: String?) -> String? {
        guard var s else { return nil }
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        let trimmed = s.drop(while: { $0 == "0" })
        return trimmed.isEmpty || trimmed.first == "." ? "0" + trimmed : String(trimmed)
    }
    return canonical(a) == canonical(b)
}
