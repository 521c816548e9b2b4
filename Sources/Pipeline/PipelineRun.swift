import Dispatch
import JSON
import Synchronization
import SystemSupport

/// How a run ended, for metrics and logs.
public struct RunSummary: Sendable {
    public struct Stage: Sendable {
        public let stage: String
        /// `finished`, `failed` or `skipped`.
        public let state: String
        public let durationMillis: Int?
    }
    public let status: ResultStatus
    public let stages: [Stage]
}

/// One run of the graph for one image: starts every stage whose dependencies are done, on the
/// worker pool, and ends with `done`. A failed stage emits `stage-error`; its dependants are skipped,
/// as are the dependants of a stage that returns `SkipDependants`; each skip says why.
/// A stage past its time limit is failed with `stage_timeout` and the run goes on without it
/// (the worker finishes in the background; its late output is dropped).
final class PipelineRun: Sendable {
    enum StageState: String { case waiting, running, finished, failed, skipped }

    private struct State {
        var stages: [String: StageState] = [:]
        var outputs: [String: any Sendable] = [:]
        var durations: [String: Int] = [:]
        /// Why each skipped stage was skipped (its code), for `done`.
        var skipCodes: [String: String] = [:]
        /// Completions recorded whose events (result, progress, skips) are still being
        /// appended: `done` waits for them, or a skip decided here could follow `done` and be lost.
        var reporting = 0
        var done = false
    }

    private let graph: PipelineGraph
    private let image: UploadedImage
    let stream: ResultStream
    private let pool: WorkerPool
    private let startedAt = MonotonicClock.nowNanos()
    private let state = Mutex(State())
    private let onFinish: @Sendable (RunSummary, JSONValue) -> Void

    /// `onFinish` gets the summary and the `done` payload; it stores and publishes the end.
    init(graph: PipelineGraph, image: UploadedImage, stream: ResultStream, pool: WorkerPool,
         onFinish: @escaping @Sendable (RunSummary, JSONValue) -> Void)
    {
        self.graph = graph
        self.image = image
        self.stream = stream
        self.pool = pool
        self.onFinish = onFinish
        state.withLock { s in for node in graph.nodes { s.stages[node.stage] = .waiting } }
    }

    func start() {
        scheduleReady()
    }

    private var elapsedMillis: Int { Int((MonotonicClock.nowNanos() - startedAt) / 1_000_000) }

    private func progress(_ stage: String, _ state: String, duration: Int? = nil, skip: SkipDependants? = nil) {
        var payload: JSONObject = ["stage": .string(stage), "state": .string(state), "elapsed_ms": .int(elapsedMillis)]
        if let duration { payload["duration_ms"] = .int(duration) }
        if let skip {
            payload["code"] = .string(skip.code)
            payload["message"] = .string(skip.message)
        }
        stream.append(name: "progress", payload: .object(payload))
    }

    /// Starts every waiting stage whose dependencies have all finished.
    private func scheduleReady() {
        let ready = state.withLock { s -> [PipelineGraph.Node] in
            let nodes = graph.nodes.filter { node in
                s.stages[node.stage] == .waiting && node.dependsOn.allSatisfy { s.stages[$0] == .finished }
                    && node.optionallyAfter.allSatisfy { [.finished, .failed, .skipped].contains(s.stages[$0]) }
            }
            for node in nodes { s.stages[node.stage] = .running }
            return nodes
        }
        for node in ready {
            progress(node.stage, "started")
            let inputs = state.withLock { s in
                StageInputs(s.outputs.filter { node.dependsOn.contains($0.key) || node.optionallyAfter.contains($0.key) })
            }
            let stageStart = MonotonicClock.nowNanos()
            let deadline = stageStart + UInt64(node.timeoutMillis) * 1_000_000
            let context = StageContext(image: image, stage: node.stage, deadlineNanos: deadline, stream: stream)
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(node.timeoutMillis)) { [self] in
                complete(node, startedAt: stageStart, result: .failure(StageError(
                    code: "stage_timeout", message: "\(node.stage) did not finish within \(node.timeoutMillis) ms", retryable: true)))
            }
            pool.submit { [self] in
                let result: Result<any Sendable, StageError>
                do {
                    result = .success(try node.producer.produce(inputs, context))
                } catch let error as StageError {
                    result = .failure(error)
                } catch {
                    result = .failure(StageError(code: "internal", message: "\(error)"))
                }
                complete(node, startedAt: stageStart, result: result)
            }
        }
    }

    private func complete(_ node: PipelineGraph.Node, startedAt stageStart: UInt64, result: Result<any Sendable, StageError>) {
        let duration = Int((MonotonicClock.nowNanos() - stageStart) / 1_000_000)
        // Why the stages that need this one cannot run: it failed, or it has nothing for them.
        let skip: SkipDependants?
        switch result {
        case .success(let output): skip = output as? SkipDependants
        case .failure(let error):
            skip = SkipDependants(code: "dependency_failed", message: "needs \(node.stage), which failed (\(error.code))")
        }
        // Only the first completion counts: a timed-out stage's late result is dropped. The
        // dependants are skipped under the same lock that records the outcome: otherwise another
        // stage finishing in between could schedule them on a stage that has no answer.
        let skipped = state.withLock { s -> [String]? in
            guard s.stages[node.stage] == .running else { return nil }
            switch result {
            case .success(let output):
                s.stages[node.stage] = .finished
                if skip == nil { s.outputs[node.stage] = output }
            case .failure:
                s.stages[node.stage] = .failed
            }
            s.durations[node.stage] = duration
            s.reporting += 1
            guard let skip else { return [] }
            let dependants = graph.dependants(of: node.stage).filter { s.stages[$0] == .waiting }
            for dependant in dependants {
                s.stages[dependant] = .skipped
                s.skipCodes[dependant] = skip.code
            }
            return dependants
        }
        guard let skipped else { return }
        switch result {
        case .success:
            progress(node.stage, "finished", duration: duration)
        case .failure(let error):
            var payload: JSONObject = ["stage": .string(node.stage), "code": .string(error.code),
                                       "message": .string(error.message), "retryable": .bool(error.retryable)]
            for (key, value) in error.fields.entries where payload[key] == nil { payload[key] = value }
            if !error.artifacts.isEmpty { payload["artifacts"] = .array(error.artifacts.map(JSONValue.string)) }
            if let wait = error.retryAfterSeconds { payload["retry_after_seconds"] = .int(wait) }
            stream.append(name: "stage-error", payload: .object(payload))
            progress(node.stage, "failed", duration: duration)
        }
        for dependant in skipped { progress(dependant, "skipped", skip: skip) }
        state.withLock { $0.reporting -= 1 }
        scheduleReady()
        finishIfDone()
    }

    private func finishIfDone() {
        let summary = state.withLock { s -> (ResultStatus, [String: StageState], [String: Int], [String: String])? in
            guard !s.done, s.reporting == 0, s.stages.values.allSatisfy({ $0 != .waiting && $0 != .running }) else { return nil }
            s.done = true
            let finished = s.stages.values.filter { $0 == .finished }.count
            let status: ResultStatus = finished == s.stages.count ? .complete : (finished == 0 ? .failed : .partial)
            return (status, s.stages, s.durations, s.skipCodes)
        }
        guard let (status, stages, durations, skipCodes) = summary else { return }
        var perStage = JSONObject()
        for node in graph.nodes {
            var entry: JSONObject = ["state": .string(stages[node.stage]?.rawValue ?? "skipped")]
            if let ms = durations[node.stage] { entry["duration_ms"] = .int(ms) }
            if let code = skipCodes[node.stage] { entry["code"] = .string(code) }
            perStage[node.stage] = .object(entry)
        }
        let done: JSONValue = [
            "status": .string(status.rawValue), "elapsed_ms": .int(elapsedMillis), "stages": .object(perStage),
        ]
        onFinish(RunSummary(status: status, stages: graph.nodes.map { node in
            RunSummary.Stage(stage: node.stage, state: stages[node.stage]?.rawValue ?? "skipped",
                             durationMillis: durations[node.stage])
        }), done)
    }
}
