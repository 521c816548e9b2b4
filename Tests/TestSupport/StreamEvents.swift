import Foundation
import JSON

/// The events of a result's SSE body by name, each the `data` of its envelope: how the
/// end-to-end tests read what a run streamed.
public enum StreamEvents {
    public static func byName(_ text: String) -> [String: [JSONValue]] {
        var events: [String: [JSONValue]] = [:]
        for block in text.components(separatedBy: "\n\n") {
            var name: String?
            var data: String?
            for line in block.split(separator: "\n") {
                if line.hasPrefix("event: ") { name = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
            }
            if let name, let data, let envelope = try? JSONParser.parse(data) {
                events[name, default: []].append(envelope["data"] ?? .null)
            }
        }
        return events
    }
}
