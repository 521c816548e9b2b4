import Dispatch
import JSON
import Synchronization

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
/// worker pool, and ends with `done`. A failed stage emits `stage-error`; its dependants are skipped.
/// A stage past its time limit is failed with `stage_timeout` and the run goes on without it
/// (the worker finishes in the background; its late output is dropped).
final class PipelineRun: Sendable {
    enum StageState: String { case waiting, running, finished, failed, skipped }

    private struct State {
        var stages: [String: StageState] = [:]
        var outputs: [String: any Sendable] = [:]
        var durations: [String: Int] = [:]
        var done = false
    }

    private let graph: PipelineGraph
    private let image: UploadedImage
    let stream: ResultStream
    private let pool: WorkerPool
    private let startedAt = PipelineClock.nanos()
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

    private var elapsedMillis: Int { Int((PipelineClock.nanos() - startedAt) / 1_000_000) }

    private func progress(_ stage: String, _ state: String, duration: Int? = nil) {
        var payload: JSONObject = ["stage": .string(stage), "state": .string(state), "elapsed_ms": .int(elapsedMillis)]
        if let duration { payload["duration_ms"] = .int(duration) }
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
            let stageStart = PipelineClock.nanos()
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
        let duration = Int((PipelineClock.nanos() - stageStart) / 1_000_000)
        // Only the first completion counts: a timed-out stage's late result is dropped.
        let won = state.withLock { s -> Bool in
            guard s.stages[node.stage] == .running else { return false }
            switch result {
            case .success(let output):
                s.stages[node.stage] = .finished
                s.outputs[node.stage] = output
            case .failure:
                s.stages[node.stage] = .failed
            }
            s.durations[node.stage] = duration
            return true
        }
        guard won else { return }
        switch result {
        case .success:
            progress(node.stage, "finished", duration: duration)
        case .failure(let error):
            var payload: JSONObject = ["stage": .string(node.stage), "code": .string(error.code),
                                       "message": .string(error.message), "retryable": .bool(error.retryable)]
            if !error.artifacts.isEmpty { payload["artifacts"] = .array(error.artifacts.map(JSONValue.string)) }
            stream.append(name: "stage-error", payload: .object(payload))
            progress(node.stage, "failed", duration: duration)
            let skipped = state.withLock { s -> [String] in
                let dependants = graph.dependants(of: node.stage).filter { s.stages[$0] == .waiting }
                for stage in dependants { s.stages[stage] = .skipped }
                return dependants
            }
            for stage in skipped { progress(stage, "skipped") }
        }
        scheduleReady()
        finishIfDone()
    }

    private func finishIfDone() {
        let summary = state.withLock { s -> (ResultStatus, [String: StageState], [String: Int])? in
            guard !s.done, s.stages.values.allSatisfy({ $0 != .waiting && $0 != .running }) else { return nil }
            s.done = true
            let finished = s.stages.values.filter { $0 == .finished }.count
            let status: ResultStatus = finished == s.stages.count ? .complete : (finished == 0 ? .failed : .partial)
            return (status, s.stages, s.durations)
        }
        guard let (status, stages, durations) = summary else { return }
        var perStage = JSONObject()
        for node in graph.nodes {
            var entry: JSONObject = ["state": .string(stages[node.stage]?.rawValue ?? "skipped")]
            if let ms = durations[node.stage] { entry["duration_ms"] = .int(ms) }
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
