import JSON

/// `Resources/demo-catalog.json`, compiled in and read once: the products (their drawn photos
/// and maker shops), the Lens replica's shop matches and the listings every product gets on the
/// marketplaces. Adding a product or a shop is an edit of that file; the Swift around it only
/// draws, formats prices and builds URLs. The DemoWorld tests catch a file that does not read.
enum DemoCatalogFile {
    static let document: JSONValue = (try? JSONParser.parse(PackageResources.demo_catalog_json)) ?? .null

    static var products: [JSONValue] { document["products"]?.arrayValue ?? [] }
    static var lensShops: [JSONValue] { document["lens_shops"]?.arrayValue ?? [] }
    static var listings: [JSONValue] { document["listings"]?.arrayValue ?? [] }

    /// The template's `{name}` placeholders filled from `values`.
    static func fill(_ template: JSONValue?, _ values: [String: String]) -> String {
        var text = template?.stringValue ?? ""
        for (name, value) in values { text = text.replacing("{\(name)}", with: value) }
        return text
    }

    static func string(_ value: JSONValue?) -> String { value?.stringValue ?? "" }

    static func colour(_ value: JSONValue?) -> Canvas.Color {
        let c = value?.arrayValue?.compactMap(\.intValue) ?? []
        return c.count == 3 ? (c[0], c[1], c[2]) : (0, 0, 0)
    }
}
