import Synchronization

/// One stream per image id. Concurrent uploads of the same image share one run (single
/// flight); a complete result is served from memory or the store without running again; a
/// failed or partial one (some stage failed) runs again on a new upload.
public final class ResultHub: Sendable {
    public enum SubmitError: Error, Sendable {
        /// Too much work waiting: answer 503 with Retry-After.
        case overloaded(retryAfterSeconds: Int)
        /// The store could not record the run (disk full, unwritable data directory).
        case storeUnavailable(String)
    }

    public struct Submission: Sendable {
        public let stream: ResultStream
        /// True when this upload started a new run (which now owns the image file).
        public let startedRun: Bool
    }

    public let pool: WorkerPool
    private let graph: PipelineGraph
    private let store: ResultStore
    private let cacheLimit: Int
    private let onRunFinished: @Sendable (UploadedImage, RunSummary) -> Void

    private struct State {
        var running: [String: ResultStream] = [:]
        var finished: [String: ResultStream] = [:]
        var finishedOrder: [String] = []
    }
    private let state = Mutex(State())

    public init(graph: PipelineGraph, pool: WorkerPool, store: ResultStore, cacheLimit: Int = 256,
                onRunFinished: @escaping @Sendable (UploadedImage, RunSummary) -> Void = { _, _ in })
    {
        self.graph = graph
        self.pool = pool
        self.store = store
        self.cacheLimit = cacheLimit
        self.onRunFinished = onRunFinished
    }

    public var stages: [String] { graph.stages }
    public var runningCount: Int { state.withLock { $0.running.count } }

    /// An upload of `image` has arrived.
    public func submit(_ image: UploadedImage) throws(SubmitError) -> Submission {
        // Running and complete results are shared; a failed or partial one runs again.
        if let existing = stream(id: image.id), existing.status == .running || existing.status == .complete {
            return Submission(stream: existing, startedRun: false)
        }
        // Decide and register under one lock, so two identical uploads cannot both start a run.
        let outcome = state.withLock { s -> Result<Submission, SubmitError> in
            if let running = s.running[image.id] { return .success(Submission(stream: running, startedRun: false)) }
            guard pool.acceptsNewWork else { return .failure(.overloaded(retryAfterSeconds: 5)) }
            let stream = ResultStream(id: image.id)
            s.running[image.id] = stream
            s.finished[image.id] = nil
            return .success(Submission(stream: stream, startedRun: true))
        }
        let submission: Submission
        switch outcome {
        case .failure(let error): throw error
        case .success(let value): submission = value
        }
        guard submission.startedRun else { return submission }
        do {
            try store.markRunning(id: image.id)
        } catch {
            state.withLock { _ = $0.running.removeValue(forKey: image.id) }
            submission.stream.abandon()
            throw .storeUnavailable("\(error)")
        }
        let stream = submission.stream
        let run = PipelineRun(graph: graph, image: image, stream: stream, pool: pool) { [self] summary, done in
            // Stored, counted and cached before the final event is published: a client that has
            // seen `done` finds the result everywhere.
            let (events, final) = stream.seal(final: "done", payload: done)
            try? store.save(id: image.id, status: summary.status, events: events)
            onRunFinished(image, summary)
            state.withLock { s in
                s.running[image.id] = nil
                s.finished[image.id] = stream
                s.finishedOrder.removeAll { $0 == image.id }
                s.finishedOrder.append(image.id)
                while s.finishedOrder.count > cacheLimit {
                    s.finished[s.finishedOrder.removeFirst()] = nil
                }
            }
            stream.finish(with: final, status: summary.status)
        }
        run.start()
        return submission
    }

    /// The stream of a result that is running, recently finished, or stored.
    public func stream(id: String) -> ResultStream? {
        if let found = state.withLock({ $0.running[id] ?? $0.finished[id] }) { return found }
        guard let stored = try? store.load(id: id) else { return nil }
        return ResultStream(id: id, events: stored.events, status: stored.status)
    }
}
