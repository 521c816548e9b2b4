import JSON
import Outbound
import PhotoReading

/// Open Library for books (EAN-13 with the Bookland prefix 978/979, which is the ISBN-13):
/// `GET {base}/api/books?bibkeys=ISBN:…&format=json&jscmd=data`, no key; `{}` when unknown.
public struct OpenLibrary: BarcodeDatabase {
    public static let defaultURL = "https://openlibrary.org"
    let userAgent: String
    let call: WebAPICall

    public init(base: String = OpenLibrary.defaultURL, userAgent: String, http: HTTPClient = HTTPClient()) {
        self.userAgent = userAgent
        call = WebAPICall(provider: "openlibrary", base: base, http: http)
    }

    public var name: String { call.provider }
    public var base: String { call.base }

    public func covers(_ gtin: String) -> Bool { gtin.hasPrefix("0") && GTIN.isISBN(String(gtin.dropFirst())) }

    public func lookup(_ gtin: String, timeoutMillis: Int) throws(WebAPIFailure) -> [BarcodeProduct] {
        let isbn = String(gtin.dropFirst())
        let url = "\(base)/api/books?bibkeys=ISBN:\(isbn)&format=json&jscmd=data"
        let answer = try call.get(url, shownURL: url, headers: [("User-Agent", userAgent)], timeoutMillis: timeoutMillis) { $0?["error"]?.stringValue }
        guard let book = answer.body?["ISBN:\(isbn)"], let title = book["title"]?.stringValue?.trimmedSpaces.nonEmpty else { return [] }
        let subtitle = book["subtitle"]?.stringValue?.trimmedSpaces.nonEmpty
        let author = book["authors"]?.arrayValue?.compactMap { $0["name"]?.stringValue?.trimmedSpaces.nonEmpty }.first
        let publisher = book["publishers"]?.arrayValue?.compactMap { $0["name"]?.stringValue?.trimmedSpaces.nonEmpty }.first
        let cover = book["cover"].flatMap { $0["large"]?.stringValue ?? $0["medium"]?.stringValue ?? $0["small"]?.stringValue }
        return [BarcodeProduct(source: name, name: subtitle.map { "\(title): \($0)" } ?? title, brand: author ?? publisher,
                               category: "book", image: cover, link: book["url"]?.stringValue)]
    }
}

