import Foundation
import JSON
@testable import Pipeline
@testable import Producers
import Synchronization
import TestSupport

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
        .init(FixedStage(ImageInfoProducer.key, info)),
        .init(LensMatchesProducer(providers: providers, refineBelow: refineBelow), dependsOn: ["image-info"], timeoutMillis: 20_000),
    ]
    return try runGraph(nodes, imagePath: photo, bytes: 4, locale: locale)
}
