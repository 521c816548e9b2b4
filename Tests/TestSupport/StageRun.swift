import Foundation
import JSON
import Pipeline

/// Runs a graph to its end (20 s at the most) on a real hub and SQLite store in a temporary
/// directory; returns the stream.
package func runGraph(_ nodes: [PipelineGraph.Node], imagePath: String = "/nonexistent", bytes: Int = 1,
                      locale: RunLocale = .fallback) throws -> ResultStream
{
    let directory = NSTemporaryDirectory() + "lens-gpt-stages-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let hub = ResultHub(graph: try PipelineGraph(nodes), pool: WorkerPool(workers: 2, queueLimit: 8),
                        store: try SQLiteResultStore(path: directory + "/results.sqlite"))
    let stream = try hub.submit(UploadedImage(id: UUID().uuidString, path: imagePath, bytes: bytes, locale: locale)).stream
    waitUntil(timeout: 20, every: 0.002) { stream.isFinished }
    return stream
}

/// Payloads of the events named `name`.
package func payloads(_ stream: ResultStream, _ name: String) -> [JSONValue] {
    stream.allEvents.filter { $0.name == name }.compactMap { try? JSONParser.parse($0.envelope)["data"] ?? .null }
}
