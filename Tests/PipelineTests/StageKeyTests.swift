import Foundation
import JSON
import Testing
@testable import Pipeline

/// Keyed producers: the stage's name and what it hands on come from one key, and dependants
/// read with that key.
@Suite struct StageKeyTests {
    struct Count: Sendable, Equatable { var value: Int }

    static let counted = StageKey<Count>("counted")
    static let doubled = StageKey<Count>("doubled")

    /// Hands on a fixed count, or throws `SkipDependants` when asked to abstain.
    struct Counter: KeyedProducer {
        static let key = StageKeyTests.counted
        let abstain: Bool
        func run(_ inputs: StageInputs, _ context: StageContext) throws -> Count {
            if abstain { throw SkipDependants(code: "unidentified", message: "nothing to count") }
            return Count(value: 21)
        }
    }

    /// Reads the counter's output with its key and emits twice the count.
    struct Doubler: KeyedProducer {
        static let key = StageKeyTests.doubled
        func run(_ inputs: StageInputs, _ context: StageContext) throws -> Count {
            let count = try inputs.get(StageKeyTests.counted)
            context.emit(stage, ["value": .int(count.value * 2)])
            return Count(value: count.value * 2)
        }
    }

    func run(_ nodes: [PipelineGraph.Node]) throws -> ResultStream {
        let directory = NSTemporaryDirectory() + "lens-gpt-stage-keys-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let hub = ResultHub(graph: try PipelineGraph(nodes), pool: WorkerPool(workers: 2, queueLimit: 8),
                            store: try SQLiteResultStore(path: directory + "/results.sqlite"))
        let stream = try hub.submit(UploadedImage(id: UUID().uuidString, path: "/nonexistent", bytes: 1)).stream
        let deadline = Date().addingTimeInterval(10)
        while !stream.isFinished && Date() < deadline { usleep(2_000) }  // poll interval; the deadline bounds the wait
        return stream
    }

    func events(_ stream: ResultStream, _ name: String) throws -> [JSONValue] {
        try stream.allEvents.filter { $0.name == name }.map { try JSONParser.parse($0.envelope)["data"] ?? .null }
    }

    @Test func aProducerIsNamedByItsKeyAndItsDependantReadsWithIt() throws {
        #expect(Counter(abstain: false).stage == "counted")
        let stream = try run([.init(Counter(abstain: false)), .init(Doubler(), dependsOn: [Self.counted.name])])
        #expect(stream.status == .complete)
        #expect(try events(stream, "doubled") == [["value": 42]])
    }

    @Test func readingWithAKeyOfAnotherTypeOrAbsentStageIsAnInternalError() {
        let inputs = StageInputs(["counted": "not a count"])
        #expect(inputs.optional(Self.counted) == nil)
        #expect(throws: StageError(code: "internal", message: "stage counted gave no Count")) { try inputs.get(Self.counted) }
        #expect(StageInputs(["counted": Count(value: 3)]).optional(Self.counted) == Count(value: 3))
        #expect(StageInputs([:]).optional(Self.doubled) == nil)
    }

    @Test func aKeyedProducerThatThrowsSkipDependantsFinishesAndSkipsItsDependants() throws {
        let stream = try run([.init(Counter(abstain: true)), .init(Doubler(), dependsOn: [Self.counted.name])])
        #expect(stream.status == .partial)
        #expect(try events(stream, "stage-error").isEmpty)
        let progress = try events(stream, "progress")
        #expect(progress.contains { $0["stage"] == "counted" && $0["state"] == "finished" })
        let skip = try #require(progress.first { $0["stage"] == "doubled" && $0["state"] == "skipped" })
        #expect(skip["code"] == "unidentified")
        #expect(skip["message"] == "nothing to count")
    }
}
