import Foundation
import JSON
@testable import Pipeline
@testable import Producers

/// A stage that returns a fixed output (standing in for an earlier stage).
struct FixedProducer<Output: Sendable>: Producer {
    let stage: String
    let output: Output

    init(stage: String, output: Output) {
        self.stage = stage
        self.output = output
    }

    /// Stands in for the stage `key` names, with the output its dependants read.
    init(_ key: StageKey<Output>, _ output: Output) {
        self.init(stage: key.name, output: output)
    }
    func produce(_ inputs: StageInputs, _ context: StageContext) throws -> any Sendable { output }
}

/// A stage that always fails.
struct FailingProducer: Producer {
    let stage: String
    func produce(_ inputs: StageInputs, _ context: StageContext) throws -> any Sendable {
        throw StageError(code: "test_failure", message: "\(stage) fails")
    }
}

/// Runs a graph to its end on a real hub and store; returns the finished stream.
func runGraph(_ nodes: [PipelineGraph.Node], imagePath: String = "/nonexistent", bytes: Int = 1) throws -> ResultStream {
    let directory = NSTemporaryDirectory() + "lens-gpt-stages-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let hub = ResultHub(graph: try PipelineGraph(nodes), pool: WorkerPool(workers: 2, queueLimit: 8),
                        store: try SQLiteResultStore(path: directory + "/results.sqlite"))
    let stream = try hub.submit(UploadedImage(id: UUID().uuidString, path: imagePath, bytes: bytes)).stream
    let deadline = Date().addingTimeInterval(20)
    while !stream.isFinished && Date() < deadline { usleep(2_000) }  // poll interval; bounded by the deadline
    return stream
}

/// Payloads of the events named `name`.
func payloads(_ stream: ResultStream, _ name: String) -> [JSONValue] {
    stream.allEvents.filter { $0.name == name }.compactMap { try? JSONParser.parse($0.envelope)["data"] ?? .null }
}

func lensMatch(_ title: String, _ link: String, position: Int) -> LensMatch {
    LensMatch(title: title, link: link, domain: LensLinks.domain(link) ?? "", source: nil, price: nil, currency: nil,
              thumbnail: nil, position: position)
}

let imageInfo = ImageInfoProducer.Output(sha256: "x", format: .png, width: 1, height: 1, bytes: 1)
