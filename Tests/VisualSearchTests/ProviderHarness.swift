import Foundation
import JSON
@testable import Pipeline
@testable import Producers
import Synchronization

/// A stage that returns a fixed output (standing in for an earlier stage).
struct FixedStage<Output: Sendable>: Producer {
    let stage: String
    let output: Output
    func produce(_ inputs: StageInputs, _ context: StageContext) throws -> any Sendable { output }
}

/// A provider with a scripted answer per call, recording each query it was given.
final class ScriptedProvider: VisualSearch {
    let name: String
    let timeoutMillis: Int
    let refinesWithText: Bool
    private let answers: [Result<VisualSearchResult, VisualSearchFailure>]
    private let asked = Mutex<[(text: String?, locale: RunLocale, limit: Int)]>([])

    init(_ name: String, timeoutMillis: Int = 5_000, refines: Bool = false, _ answers: Result<VisualSearchResult, VisualSearchFailure>...) {
        self.name = name
        self.timeoutMillis = timeoutMillis
        refinesWithText = refines
        self.answers = answers
    }

    var queries: [(text: String?, locale: RunLocale, limit: Int)] { asked.withLock { $0 } }

    func search(_ query: VisualQuery, timeoutMillis: Int) throws(VisualSearchFailure) -> VisualSearchResult {
        let n = asked.withLock { a -> Int in
            a.append((query.text, query.locale, timeoutMillis))
            return a.count - 1
        }
        guard !answers.isEmpty else { throw failure(name, "none") }
        return try answers[min(n, answers.count - 1)].get()
    }
}

func failure(_ provider: String, _ code: String, retryable: Bool = true) -> VisualSearchFailure {
    VisualSearchFailure(provider: provider, code: code, message: "\(provider) says \(code)", retryable: retryable)
}

func match(_ title: String, _ link: String, _ position: Int, provider: String) -> LensMatch {
    LensMatch(title: title, link: link, domain: LensLinks.domain(link) ?? "", position: position, provider: provider)
}

/// Runs image-info (fixed) and lens-matches over `providers` on a real hub; returns the stream.
func runLensStage(_ providers: [any VisualSearch], locale: RunLocale = .fallback, refineBelow: Double = 0.6) throws -> ResultStream {
    let directory = NSTemporaryDirectory() + "lens-gpt-visual-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let photo = directory + "/photo.png"
    _ = FileManager.default.createFile(atPath: photo, contents: Data([0x89, 0x50, 0x4E, 0x47]))
    let info = ImageInfoProducer.Output(sha256: "x", format: .png, width: 1, height: 1, bytes: 4)
    let nodes: [PipelineGraph.Node] = [
        .init(FixedStage(stage: "image-info", output: info)),
        .init(LensMatchesProducer(providers: providers, refineBelow: refineBelow), dependsOn: ["image-info"], timeoutMillis: 20_000),
    ]
    let hub = ResultHub(graph: try PipelineGraph(nodes), pool: WorkerPool(workers: 2, queueLimit: 8),
                        store: try SQLiteResultStore(path: directory + "/results.sqlite"))
    let stream = try hub.submit(UploadedImage(id: UUID().uuidString, path: photo, bytes: 4, locale: locale)).stream
    let deadline = Date().addingTimeInterval(20)
    while !stream.isFinished && Date() < deadline { usleep(2_000) }  // poll interval; bounded by the deadline
    return stream
}

func payloads(_ stream: ResultStream, _ name: String) -> [JSONValue] {
    stream.allEvents.filter { $0.name == name }.compactMap { try? JSONParser.parse($0.envelope)["data"] ?? .null }
}
