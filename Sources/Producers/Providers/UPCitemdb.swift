import JSON
import Outbound

/// UPCitemdb: `GET {base}/prod/trial/lookup?upc=…` without a key (100 requests a day), or
/// `GET {base}/prod/v1/lookup?upc=…` with the headers `user_key` and `key_type: 3scale` on a paid
/// plan. Its `X-RateLimit-Remaining` / `X-RateLimit-Reset` are respected: once used up, no call
/// is made until the reset.
public struct UPCitemdb: BarcodeDatabase {
    public static let defaultURL = "https://api.upcitemdb.com"
    let userKey: String?
    let call: WebAPICall

    public init(base: String = UPCitemdb.defaultURL, userKey: String?, http: HTTPClient = HTTPClient()) {
        self.userKey = userKey
        call = WebAPICall(provider: "upcitemdb", base: base, http: http)
    }

    public var name: String { call.provider }
    public var base: String { call.base }
    public func covers(_ gtin: String) -> Bool { true }

    public func lookup(_ gtin: String, timeoutMillis: Int) throws(WebAPIFailure) -> [BarcodeProduct] {
        // A UPC-A as its 12 digits, as UPCitemdb lists them; EANs as printed.
        let short = BarcodeLookup.shortForm(gtin)
        let code = short.count == 13 && short.hasPrefix("0") ? String(short.dropFirst()) : short
        let plan = userKey == nil ? "trial" : "v1"
        let url = "\(base)/prod/\(plan)/lookup?upc=\(code)"
        let headers = userKey.map { [("user_key", $0), ("key_type", "3scale")] } ?? []
        let answer: WebAPICall.Answer
        do {
            answer = try call.get(url, shownURL: url, headers: headers, timeoutMillis: timeoutMillis, passing: [404]) { body in
                [body?["code"]?.stringValue, body?["message"]?.stringValue].compactMap { $0 }.joined(separator: " ").nonEmpty
            }
        } catch let error where error.code == "api_failed" && error.message.contains("INVALID_UPC") {
            // Its 400 for a number it does not take: not a product it knows.
            return []
        }
        // Unknown numbers come as `{"code": "OK", "total": 0, "items": []}`; a 404 (`NOT_FOUND`) means the same.
        if answer.status == 404 { return [] }
        guard let body = answer.body, body["code"]?.stringValue == "OK" else {
            throw WebAPIFailure(provider: name, code: "api_failed",
                                message: "answer code \(answer.body?["code"]?.stringValue ?? "missing"): \(answer.body?["message"]?.stringValue ?? "")",
                                retryable: true)
        }
        return (body["items"]?.arrayValue ?? []).compactMap { item in
            func text(_ key: String) -> String? { item[key]?.stringValue?.trimmedSpaces.nonEmpty }
            guard let title = text("title") else { return nil }
            let image = item["images"]?.arrayValue?.compactMap(\.stringValue).first { $0.hasPrefix("http") }
            let offer = item["offers"]?.arrayValue?.compactMap { $0["link"]?.stringValue }.first { $0.hasPrefix("http") }
            return BarcodeProduct(source: name, name: title, brand: text("brand"), model: text("model"), category: text("category"),
                                  image: image, link: offer)
        }
    }
}
