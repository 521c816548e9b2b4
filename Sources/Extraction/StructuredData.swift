import JSON

/// Everything a page declares in markup, as read before choosing a product: for inspection,
/// debugging and comparing the readers with other implementations.
public struct StructuredData: Sendable {
    public var jsonLD: [JSONValue]
    /// Top-level microdata items in schema.org JSON shape.
    public var microdata: [JSONValue]
    public var openGraph: [OpenGraphReader.Property]

    public init(document: HTMLDocument, limits: ExtractionLimits = ExtractionLimits()) {
        jsonLD = JSONLDReader.blocks(in: document, limits: limits)
        microdata = MicrodataReader.items(in: document).map(\.value)
        openGraph = OpenGraphReader.properties(in: document)
    }

    public var json: JSONValue {
        .object([
            "json-ld": .array(jsonLD),
            "microdata": .array(microdata),
            "opengraph": .array(openGraph.map { .array([.string($0.name), .string($0.content)]) }),
        ])
    }
}
