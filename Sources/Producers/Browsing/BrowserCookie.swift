/// A cookie set in the browser before a provider's search: Google's consent cookies (`SOCS`,
/// `NID`) are how people who run Lens at scale get past the EU consent wall.
public struct BrowserCookie: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// `SOCS=CAES…; NID=511=…` (a `Cookie` header's shape) → cookies. Names are tokens; values
    /// may not hold `;`, spaces or control characters (WebDriver would refuse them later, less clearly).
    public static func parseList(_ text: String) throws(Invalid) -> [BrowserCookie] {
        var cookies: [BrowserCookie] = []
        for pair in text.split(separator: ";") {
            let trimmed = pair.drop { $0 == " " }
            guard !trimmed.isEmpty else { continue }
            let kv = trimmed.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(kv[0])
            let value = kv.count == 2 ? String(kv[1]).trimmingTrailingSpaces : ""
            let tokenOK = !name.isEmpty && name.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && !"()<>@,;:\\\"/[]?={}".utf8.contains($0) }
            let valueOK = value.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ";") && $0 != UInt8(ascii: ",") }
            guard tokenOK, valueOK, kv.count == 2 else {
                throw Invalid(description: "cookies must look like NAME=VALUE; NAME2=VALUE2, not \"\(trimmed)\"")
            }
            cookies.append(BrowserCookie(name: name, value: value))
        }
        return cookies
    }
}

extension String {
    fileprivate var trimmingTrailingSpaces: String {
        var s = Substring(self)
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
