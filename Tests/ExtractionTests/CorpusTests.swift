@testable import Extraction
import TestSupport
import Foundation
import JSON
import Testing

/// The peer corpora as regression gates: thresholds sit at the figures bench/extraction/run
/// reports, so a change that loses ground fails CI.
struct CorpusTests {
    static let benchmark = "product-extraction-benchmark/ground-truth.json"
    static let extruct = "extruct/MANIFEST.json"

    @Test(.enabled(if: PeerData.has(benchmark), PeerData.missing(benchmark)))
    func productExtractionBenchmark() throws {
        let truth = try JSONParser.parse(try PeerData.bytes(Self.benchmark)).objectValue ?? JSONObject()
        let urls = try JSONParser.parse(try PeerData.bytes("product-extraction-benchmark/pywb-mapping.json"))
        var counts: [String: (tp: Int, fp: Int, fn: Int)] = [:]
        for (key, expected) in truth.entries {
            let html = try PeerData.bytes("product-extraction-benchmark/html/\(key).html.gz")
            // pywb paths are /<collection>/<timestamp>/<original URL>.
            let url = urls[key]?.stringValue.map { $0.split(separator: "/", maxSplits: 3).dropFirst(2).joined(separator: "/") }
            let record = try Extractor.extract(html: html, url: url)
            let availability = Availability.isUnavailable(record.availability) ? "OutOfStock" : "InStock"
            for (attribute, predicted) in [("price", record.price), ("sku", record.sku), ("availability", availability)] {
                let wanted = (expected[attribute]?.arrayValue ?? []).compactMap(\.stringValue)
                let match = predicted.map { p in
                    wanted.contains { attribute == "price" ? DecimalText.equal($0.trimmingSpaces(), p) : $0 == p }
                }
                var c = counts[attribute] ?? (0, 0, 0)
                switch match {
                case nil: if !wanted.isEmpty { c.fn += 1 }
                case true?: c.tp += 1
                case false?: c.fp += 1; if !wanted.isEmpty { c.fn += 1 }
                }
                counts[attribute] = c
            }
        }
        func f1(_ attribute: String) -> Double {
            let c = counts[attribute] ?? (0, 0, 0)
            return Double(2 * c.tp) / Double(max(1, 2 * c.tp + c.fp + c.fn))
        }
        #expect(truth.count == 140)
        #expect(f1("price") >= 0.94, "price F1 \(f1("price"))")
        #expect(f1("availability") >= 0.96, "availability F1 \(f1("availability"))")
        #expect(f1("sku") >= 0.85, "sku F1 \(f1("sku"))")
    }

    @Test(.enabled(if: PeerData.has(extruct), PeerData.missing(extruct)))
    func extructFixturesAgree() throws {
        let manifest = try JSONParser.parse(try PeerData.bytes(Self.extruct))
        var agreed = 0, compared = 0
        for item in manifest["cases"]?.arrayValue ?? [] {
            guard let html = item["html"]?.stringValue, let expectedPath = item["expected"]?.stringValue,
                  let syntax = item["syntax"]?.stringValue, ["json-ld", "microdata"].contains(syntax),
                  item["options"]?["base_url"] == nil else { continue }
            let document = try HTMLDocument(html: try PeerData.bytes("extruct/\(html)"))
            let data = StructuredData(document: document)
            var expected = try JSONParser.parse(try PeerData.bytes("extruct/\(expectedPath)"))
            if let wrapped = expected["microdata"] { expected = wrapped }
            let ours: JSONValue = syntax == "json-ld" ? .array(data.jsonLD) : .array(data.microdata)
            compared += 1
            if Canonical.of(ours) == Canonical.of(expected) { agreed += 1 } else { Issue.record("disagree: \(expectedPath)") }
        }
        #expect(compared >= 14)
        #expect(agreed == compared)
    }
}

/// extruct's shapes rewritten into ours, keys sorted, types bare, whitespace collapsed.
enum Canonical {
    static func of(_ value: JSONValue) -> String {
        switch value {
        case .array(let items):
            return items.count == 1 ? of(items[0]) : "[" + items.map(of).joined(separator: ",") + "]"
        case .object(var object):
            if let properties = object["properties"]?.objectValue, object["type"] != nil {
                var merged = JSONObject([("@type", object["type"] ?? .null)])
                for (key, value) in properties.entries { merged[key] = value }
                object = merged
            }
            var parts: [String] = []
            for (key, item) in object.entries where !["@context", "_nodeId_"].contains(key) {
                let rendered: String
                if key == "@type" {
                    let types = SchemaValue.values(item).compactMap(\.stringValue).map(SchemaValue.bareName)
                    rendered = types.joined(separator: "|")
                } else {
                    rendered = of(item)
                }
                parts.append("\(key)=\(rendered)")
            }
            return "{" + parts.sorted().joined(separator: ",") + "}"
        case .string(let s): return "\"" + s.collapsingWhitespace() + "\""
        default: return value.serialized()
        }
    }
}
