import Dispatch
import Foundation
import JSON
import Testing
@testable import Pipeline

/// A stage with a fixed behaviour, for exercising the scheduler.
struct ScriptedProducer: Producer {
    /// `block(gate, returned)`: waits for `gate`, then emits and signals `returned`.
    enum Behaviour: Sendable { case succeed, fail, abstain, block(DispatchSemaphore, DispatchSemaphore) }
    let stage: String
    let behaviour: Behaviour

    func produce(_ inputs: StageInputs, _ context: StageContext) throws -> any Sendable {
        switch behaviour {
        case .succeed:
            context.emit(stage, ["inputs": .int(inputs.outputs.count)])
            return stage
        case .fail:
            throw StageError(code: "scripted", message: "\(stage) fails", retryable: false)
        case .abstain:
            context.emit(stage, ["answer": nil])
            return SkipDependants(code: "unidentified", message: "\(stage) has no answer")
        case .block(let gate, let returned):
            _ = gate.wait(timeout: .now() + 20)
            context.emit(stage, ["late": true])
            returned.signal()
            return stage
        }
    }
}

@Suite struct PipelineGraphTests {
    @Test func rejectsDuplicatesUnknownDependenciesAndCycles() {
        #expect(throws: PipelineGraph.InvalidGraph.self) {
            try PipelineGraph([.init(ScriptedProducer(stage: "a", behaviour: .succeed)), .init(ScriptedProducer(stage: "a", behaviour: .succeed))])
        }
        #expect(throws: PipelineGraph.InvalidGraph.self) {
            try PipelineGraph([.init(ScriptedProducer(stage: "a", behaviour: .succeed), dependsOn: ["missing"])])
        }
        #expect(throws: PipelineGraph.InvalidGraph.self) {
            try PipelineGraph([
                .init(ScriptedProducer(stage: "a", behaviour: .succeed), dependsOn: ["b"]),
                .init(ScriptedProducer(stage: "b", behaviour: .succeed), dependsOn: ["a"]),
            ])
        }
    }

    @Test func ordersDependenciesFirstAndFindsDependants() throws {
        let graph = try PipelineGraph([
            .init(ScriptedProducer(stage: "price", behaviour: .succeed), dependsOn: ["retail", "offers"]),
            .init(ScriptedProducer(stage: "retail", behaviour: .succeed), dependsOn: ["id"]),
            .init(ScriptedProducer(stage: "offers", behaviour: .succeed), dependsOn: ["id"]),
            .init(ScriptedProducer(stage: "id", behaviour: .succeed)),
        ])
        #expect(graph.stages.first == "id")
        #expect(graph.stages.last == "price")
        #expect(Set(graph.dependants(of: "id")) == ["retail", "offers", "price"])
        #expect(graph.dependants(of: "retail") == ["price"])
    }
}

@Suite struct PipelineRunTests {
    func hub(_ graph: PipelineGraph, workers: Int = 4, queueLimit: Int = 16) throws -> (ResultHub, String) {
        let directory = NSTemporaryDirectory() + "lens-gpt-pipeline-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = try SQLiteResultStore(path: directory + "/results.sqlite")
        return (ResultHub(graph: graph, pool: WorkerPool(workers: workers, queueLimit: queueLimit), store: store), directory)
    }

    func waitFinished(_ stream: ResultStream) -> Bool {
        let deadline = DispatchTime.now() + 10
        while DispatchTime.now() < deadline {
            if stream.isFinished { return true }
            usleep(2_000)  // poll interval; the deadline bounds the wait
        }
        return stream.isFinished
    }

    func payloads(_ stream: ResultStream, _ name: String) throws -> [JSONValue] {
        try stream.allEvents.filter { $0.name == name }.map { try JSONParser.parse($0.envelope)["data"] ?? .null }
    }

    @Test func independentBranchesRunAndAJoinWaitsForBoth() throws {
        let graph = try PipelineGraph([
            .init(ScriptedProducer(stage: "id", behaviour: .succeed)),
            .init(ScriptedProducer(stage: "retail", behaviour: .succeed), dependsOn: ["id"]),
            .init(ScriptedProducer(stage: "offers", behaviour: .succeed), dependsOn: ["id"]),
            .init(ScriptedProducer(stage: "price", behaviour: .succeed), dependsOn: ["retail", "offers"]),
        ])
        let (hub, _) = try hub(graph)
        let stream = try hub.submit(UploadedImage(id: "run1", path: "/nonexistent", bytes: 1)).stream
        #expect(waitFinished(stream))
        #expect(stream.status == .complete)
        #expect(try payloads(stream, "price") == [["inputs": 2]])
        let names = stream.allEvents.map(\.name)
        #expect(names.last == "done")
        #expect(stream.allEvents.map(\.id) == Array(1...stream.allEvents.count))
    }

    @Test func aFailedStageSkipsItsDependantsOnly() throws {
        let graph = try PipelineGraph([
            .init(ScriptedProducer(stage: "id", behaviour: .succeed)),
            .init(ScriptedProducer(stage: "retail", behaviour: .fail), dependsOn: ["id"]),
            .init(ScriptedProducer(stage: "offers", behaviour: .succeed), dependsOn: ["id"]),
            .init(ScriptedProducer(stage: "price", behaviour: .succeed), dependsOn: ["retail", "offers"]),
        ])
        let (hub, _) = try hub(graph)
        let stream = try hub.submit(UploadedImage(id: "run2", path: "/nonexistent", bytes: 1)).stream
        #expect(waitFinished(stream))
        #expect(stream.status == .partial)
        #expect(try payloads(stream, "stage-error") == [["stage": "retail", "code": "scripted", "message": "retail fails", "retryable": false]])
        let progress = try payloads(stream, "progress")
        #expect(progress.contains { $0["stage"] == "price" && $0["state"] == "skipped" })
        #expect(progress.contains { $0["stage"] == "offers" && $0["state"] == "finished" })
        let done = try #require(try payloads(stream, "done").first)
        #expect(done["stages"]?["price"]?["state"] == "skipped")
    }

    @Test func skippedStagesSayWhy() throws {
        let graph = try PipelineGraph([
            .init(ScriptedProducer(stage: "id", behaviour: .fail)),
            .init(ScriptedProducer(stage: "retail", behaviour: .succeed), dependsOn: ["id"]),
        ])
        let (hub, _) = try hub(graph)
        let stream = try hub.submit(UploadedImage(id: "run-why", path: "/nonexistent", bytes: 1)).stream
        #expect(waitFinished(stream))
        let skipped = try #require(try payloads(stream, "progress").first { $0["state"] == "skipped" })
        #expect(skipped["stage"] == "retail")
        #expect(skipped["code"] == "dependency_failed")
        #expect(skipped["message"] == "needs id, which failed (scripted)")
    }

    /// A stage that finishes while an abstaining one is being recorded must not start the
    /// abstaining stage's dependants: the skip is decided under the lock that records the outcome.
    /// Many runs with sibling stages finishing at the same moment on other workers.
    @Test func anAbstentionIsNeverOvertakenByASiblingFinishing() throws {
        let graph = try PipelineGraph([
            .init(ScriptedProducer(stage: "id", behaviour: .abstain)),
            .init(ScriptedProducer(stage: "url", behaviour: .succeed), dependsOn: ["id"]),
            .init(ScriptedProducer(stage: "a", behaviour: .succeed)),
            .init(ScriptedProducer(stage: "b", behaviour: .succeed)),
            .init(ScriptedProducer(stage: "c", behaviour: .succeed)),
        ])
        let (hub, _) = try hub(graph, workers: 4, queueLimit: 4_000)
        let streams = try (0..<300).map { try hub.submit(UploadedImage(id: "race-\($0)", path: "/nonexistent", bytes: 1)).stream }
        for stream in streams {
            #expect(waitFinished(stream))
            #expect(stream.status == .partial)
            #expect(try payloads(stream, "url").isEmpty, "url ran although id had no answer")
        }
    }

    @Test func aStageThatAbstainsFinishesAndSkipsWhatNeedsIt() throws {
        let graph = try PipelineGraph([
            .init(ScriptedProducer(stage: "id", behaviour: .abstain)),
            .init(ScriptedProducer(stage: "url", behaviour: .succeed), dependsOn: ["id"]),
            .init(ScriptedProducer(stage: "retail", behaviour: .succeed), dependsOn: ["url"]),
            .init(ScriptedProducer(stage: "info", behaviour: .succeed)),
            .init(ScriptedProducer(stage: "price", behaviour: .succeed), optionallyAfter: ["id", "info"]),
        ])
        let (hub, _) = try hub(graph)
        let stream = try hub.submit(UploadedImage(id: "run-abstain", path: "/nonexistent", bytes: 1)).stream
        #expect(waitFinished(stream))
        #expect(stream.status == .partial)
        #expect(try payloads(stream, "stage-error").isEmpty)
        #expect(try payloads(stream, "id") == [["answer": nil]])
        let progress = try payloads(stream, "progress")
        #expect(progress.contains { $0["stage"] == "id" && $0["state"] == "finished" })
        for stage in ["url", "retail"] {
            let skip = try #require(progress.first { $0["stage"] == .string(stage) && $0["state"] == "skipped" })
            #expect(skip["code"] == "unidentified")
            #expect(skip["message"] == "id has no answer")
        }
        // An optional dependant still runs, without the abstaining stage's output.
        #expect(try payloads(stream, "price") == [["inputs": 1]])
        let done = try #require(try payloads(stream, "done").first)
        #expect(done["stages"]?["id"]?["state"] == "finished")
        #expect(done["stages"]?["url"]?["state"] == "skipped")
        #expect(done["stages"]?["url"]?["code"] == "unidentified")
    }

    @Test func anOptionalDependencyThatFailsDoesNotSkipItsDependant() throws {
        let graph = try PipelineGraph([
            .init(ScriptedProducer(stage: "retail", behaviour: .fail)),
            .init(ScriptedProducer(stage: "offers", behaviour: .succeed)),
            .init(ScriptedProducer(stage: "price", behaviour: .succeed), dependsOn: ["offers"], optionallyAfter: ["retail"]),
        ])
        let (hub, _) = try hub(graph)
        let stream = try hub.submit(UploadedImage(id: "run-optional", path: "/nonexistent", bytes: 1)).stream
        #expect(waitFinished(stream))
        #expect(stream.status == .partial)
        #expect(try payloads(stream, "price") == [["inputs": 1]])  // offers only: retail did not finish
    }

    @Test func aStagePastItsTimeLimitFailsAndTheRunEnds() throws {
        let gate = DispatchSemaphore(value: 0), returned = DispatchSemaphore(value: 0)
        let graph = try PipelineGraph([
            .init(ScriptedProducer(stage: "slow", behaviour: .block(gate, returned)), timeoutMillis: 200),
            .init(ScriptedProducer(stage: "after", behaviour: .succeed), dependsOn: ["slow"]),
            .init(ScriptedProducer(stage: "other", behaviour: .succeed)),
        ])
        let (hub, _) = try hub(graph)
        let stream = try hub.submit(UploadedImage(id: "run3", path: "/nonexistent", bytes: 1)).stream
        #expect(waitFinished(stream))
        #expect(try payloads(stream, "stage-error").first?["code"] == "stage_timeout")
        #expect(try payloads(stream, "other").count == 1)
        let count = stream.allEvents.count
        gate.signal()
        // The late worker's output is dropped: nothing is appended after done.
        #expect(returned.wait(timeout: .now() + 10) == .success)
        #expect(stream.allEvents.count == count)
        #expect(try payloads(stream, "slow").isEmpty)
    }

    @Test func storeKeepsFinishedResultsAndPurgesOldOnes() throws {
        let directory = NSTemporaryDirectory() + "lens-gpt-store-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteResultStore(path: directory + "/results.sqlite")
        let events = [ResultEvent(id: 1, name: "a", payload: ["x": 1]), ResultEvent(id: 2, name: "done", payload: [:])]
        try store.markRunning(id: "r")
        #expect(try store.load(id: "r") == nil)  // running results are not served from the store
        try store.save(id: "r", status: .complete, events: events)
        #expect(try store.load(id: "r")?.events == events)
        #expect(try store.load(id: "r")?.status == .complete)
        try store.markRunning(id: "crashed")
        #expect(try store.removeInterrupted() == 1)
        #expect(try store.purge(olderThanSeconds: 3600) == 0)
        #expect(try store.purge(olderThanSeconds: -1) == 1)
        #expect(try store.load(id: "r") == nil)
    }

    @Test func poolRunsAtMostItsWorkersAtOnce() {
        let pool = WorkerPool(workers: 2, queueLimit: 100)
        let peak = Peak()
        let group = DispatchGroup()
        for _ in 0..<20 {
            group.enter()
            pool.submit {
                peak.enter()
                usleep(2_000)  // work that takes a moment, so tasks overlap if the bound fails
                peak.leave()
                group.leave()
            }
        }
        #expect(group.wait(timeout: .now() + 10) == .success)
        #expect(peak.maximum >= 1 && peak.maximum <= 2)
    }
}

import Synchronization

final class Peak: Sendable {
    private let state = Mutex((current: 0, maximum: 0))
    func enter() { state.withLock { $0.current += 1; $0.maximum = max($0.maximum, $0.current) } }
    func leave() { state.withLock { $0.current -= 1 } }
    var maximum: Int { state.withLock { $0.maximum } }
}

/// Lens thumbnails kept for `/results/{id}/thumbnails/{n}`.
@Suite struct ThumbnailStoreTests {
    static let pngURI = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"

    func temporaryDirectory() -> String {
        NSTemporaryDirectory() + "thumbs-" + UUID().uuidString
    }

    @Test func keepsADataURIAndServesItBack() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = FileThumbnailStore(directory: directory, maxBytes: 1024, retentionSeconds: 3600)
        let image = try #require(Thumbnail(dataURI: ThumbnailStoreTests.pngURI))
        #expect(image.contentType == "image/png")
        #expect(image.bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        let id = String(repeating: "ab", count: 32)
        #expect(store.put(image, resultID: id, index: 3))
        #expect(store.get(resultID: id, index: 3) == image)
        #expect(store.get(resultID: id, index: 4) == nil)
        #expect(Thumbnail.path(resultID: id, index: 3) == "/results/\(id)/thumbnails/3")
    }

    @Test func refusesWhatIsTooLargeNotAnImageOrNotAnID() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = FileThumbnailStore(directory: directory, maxBytes: 16, retentionSeconds: 3600)
        let image = try #require(Thumbnail(dataURI: ThumbnailStoreTests.pngURI))
        #expect(!store.put(image, resultID: String(repeating: "0", count: 64), index: 0), "over the size cap")
        #expect(Thumbnail(dataURI: "data:text/html;base64,PGI+aGk8L2I+") == nil)
        #expect(Thumbnail(dataURI: "https://example.com/a.png") == nil)
        let roomy = FileThumbnailStore(directory: directory, maxBytes: 1024, retentionSeconds: 3600)
        #expect(!roomy.put(image, resultID: "../../etc", index: 0))
        #expect(roomy.get(resultID: "../../etc", index: 0) == nil)
    }
}
