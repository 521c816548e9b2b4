import JSON
import Outbound

/// Open Food Facts (and its sister databases on the same software): `GET {base}/api/v2/product/{code}.json`,
/// no key. Its rules ask for a `User-Agent` naming the application and a contact, and for at most
/// 100 product reads a minute, which this process keeps to by itself.
public struct OpenFoodFacts: BarcodeDatabase {
    public static let defaultURL = "https://world.openfoodfacts.org"
    public static let readsPerMinute = 100
    /// One pace for the whole process, however many clients it makes.
    static let pace = RequestPace(perMinute: readsPerMinute)
    let userAgent: String
    let call: WebAPICall

    /// `userAgent`: "lens-gpt/<version> (<contact>)".
    public init(base: String = OpenFoodFacts.defaultURL, userAgent: String, http: HTTPClient = HTTPClient()) {
        self.userAgent = userAgent
        call = WebAPICall(provider: "openfoodfacts", base: base, http: http, pace: OpenFoodFacts.pace)
    }

    public var name: String { call.provider }
    public var base: String { call.base }
    public func covers(_ gtin: String) -> Bool { true }

    static let fields = "code,product_name,product_name_en,generic_name,brands,categories,image_url,quantity"

    public func lookup(_ gtin: String, timeoutMillis: Int) throws(WebAPIFailure) -> [BarcodeProduct] {
        let code = BarcodeLookup.shortForm(gtin)
        let url = "\(base)/api/v2/product/\(code).json?fields=\(OpenFoodFacts.fields)"
        // An unknown code may come as 404 with the same body as a 200 "product not found".
        let answer = try call.get(url, shownURL: url, headers: [("User-Agent", userAgent)], timeoutMillis: timeoutMillis,
                                  passing: [404]) { $0?["status_verbose"]?.stringValue }
        if answer.status == 404 { return [] }
        guard let body = answer.body, body["status"]?.intValue == 1, let product = body["product"] else {
            if answer.body?["status"]?.intValue == 0 { return [] }
            throw WebAPIFailure(provider: name, code: "api_failed", message: "an answer without status 1 or 0 (HTTP \(answer.status))",
                                retryable: true)
        }
        func text(_ key: String) -> String? { product[key]?.stringValue?.trimmedSpaces.nonEmpty }
        guard let productName = text("product_name") ?? text("product_name_en") ?? text("generic_name") else { return [] }
        // `brands` and `categories` are comma-separated lists: the first brand is the maker, the
        // last category the most specific.
        let brand = text("brands")?.split(separator: ",").first.map { String($0).trimmedSpaces }
        let category = text("categories")?.split(separator: ",").last.map { String($0).trimmedSpaces }
        let quantity = text("quantity")
        let named = quantity.map { productName.lowercased().contains($0.lowercased()) ? productName : "\(productName) \($0)" } ?? productName
        return [BarcodeProduct(source: name, name: named, brand: brand, category: category, image: text("image_url"),
                               link: "\(base)/product/\(body["code"]?.stringValue ?? code)")]
    }
}
