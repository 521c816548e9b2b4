import Dispatch
import Pipeline
import Producers
import Synchronization

/// A stage that waits until the test opens its gate, counting how often it ran.
final class GateProducer: Producer {
    let stage: String
    private let gate = DispatchSemaphore(value: 0)
    let calls = Atomic<Int>(0)
    let failFirst: Bool

    init(stage: String = "gate", failFirst: Bool = false) {
        self.stage = stage
        self.failFirst = failFirst
    }

    func open(times: Int = 1) { for _ in 0..<times { gate.signal() } }

    func produce(_ inputs: StageInputs, _ context: StageContext) throws -> any Sendable {
        let call = calls.add(1, ordering: .relaxed).newValue
        // Bounded wait: a test that forgets to open the gate fails instead of hanging.
        guard gate.wait(timeout: .now() + 20) == .success else {
            throw StageError(code: "gate_timeout", message: "test gate never opened")
        }
        if failFirst && call == 1 { throw StageError(code: "test_failure", message: "first call fails", retryable: true) }
        context.emit(stage, ["call": .int(call)])
        return call
    }
}

/// Counts calls without blocking.
final class CountingProducer: Producer {
    let stage = "count"
    let calls = Atomic<Int>(0)
    func produce(_ inputs: StageInputs, _ context: StageContext) throws -> any Sendable {
        calls.add(1, ordering: .relaxed)
        return 0
    }
}

enum TestGraphs {
    static func imageInfo(then producer: any Producer) throws -> PipelineGraph {
        try PipelineGraph([
            .init(ImageInfoProducer()),
            .init(producer, dependsOn: ["image-info"]),
        ])
    }
}

import Glibc
