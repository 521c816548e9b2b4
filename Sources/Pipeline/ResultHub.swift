import JSON
import Synchronization

/// One stream per image id, kept in one process and its `ResultStore` (the SQLite file by
/// default). Concurrent uploads of the same image share one run (single flight); a complete
/// result is served from memory or the store without running again; a failed or partial one
/// (some stage failed) runs again on a new upload.
///
/// Store calls run on the store's own threads (`StoreQueues`); callers get answers through
/// completions. A save that fails is reported (`onStoreFailure`) and the stream's `done` says
/// `"stored": false`.
public final class ResultHub: ResultService {
    public typealias Submission = ResultSubmission
    public typealias SubmitError = ResultSubmitError

    public let pool: WorkerPool
    private let graph: PipelineGraph
    private let queues: StoreQueues
    private let cacheLimit: Int
    private let onRunFinished: @Sendable (UploadedImage, RunSummary) -> Void
    private let onStoreFailure: @Sendable (String) -> Void
    private let retentionSeconds: Int64

    private struct State {
        var running: [String: ResultStream] = [:]
        var finished: [String: ResultStream] = [:]
        var finishedOrder: [String] = []
        /// Finished results whose save failed: readable here, but a new upload runs again.
        var unsaved: Set<String> = []
    }
    private let state = Mutex(State())

    public init(graph: PipelineGraph, pool: WorkerPool, store: ResultStore, cacheLimit: Int = 256,
                onRunFinished: @escaping @Sendable (UploadedImage, RunSummary) -> Void = { _, _ in },
                retentionSeconds: Int64 = 7 * 86_400,
                onStoreFailure: @escaping @Sendable (String) -> Void = { _ in })
    {
        self.retentionSeconds = retentionSeconds
        self.graph = graph
        self.pool = pool
        queues = StoreQueues(store: store)
        self.cacheLimit = cacheLimit
        self.onRunFinished = onRunFinished
        self.onStoreFailure = onStoreFailure
    }

    public var stages: [String] { graph.stages }
    public var runningCount: Int { state.withLock { $0.running.count } }

    public func submit(_ image: UploadedImage, client: String,
                       completion: @escaping @Sendable (Result<Submission, SubmitError>) -> Void)
    {
        // Running and complete results are shared; a failed or partial one runs again.
        if let existing = reusable(image.id) {
            completion(.success(Submission(stream: existing, startedRun: false)))
            return
        }
        queues.read { [self] store in
            if let stored = try? store.load(id: image.id), stored.status == .complete {
                let stream = ResultStream(id: image.id, events: stored.events, status: stored.status)
                remember(stream, saved: true)
                completion(.success(Submission(stream: stream, startedRun: false)))
                return
            }
            startOrJoin(image, completion: completion)
        }
    }

    private func reusable(_ id: String) -> ResultStream? {
        state.withLock { s in
            if let running = s.running[id] { return running }
            if let done = s.finished[id], done.status == .complete, !s.unsaved.contains(id) { return done }
            return nil
        }
    }

    private func startOrJoin(_ image: UploadedImage, completion: @escaping @Sendable (Result<Submission, SubmitError>) -> Void) {
        // Decide and register under one lock, so two identical uploads cannot both start a run.
        let outcome = state.withLock { s -> Result<Submission, SubmitError> in
            if let running = s.running[image.id] { return .success(Submission(stream: running, startedRun: false)) }
            if let done = s.finished[image.id], done.status == .complete, !s.unsaved.contains(image.id) {
                return .success(Submission(stream: done, startedRun: false))
            }
            guard pool.acceptsNewWork else { return .failure(.overloaded(retryAfterSeconds: 5)) }
            let stream = ResultStream(id: image.id)
            s.running[image.id] = stream
            return .success(Submission(stream: stream, startedRun: true))
        }
        guard case .success(let submission) = outcome, submission.startedRun else {
            completion(outcome)
            return
        }
        queues.write { [self] store in
            do {
                try store.markRunning(id: image.id)
            } catch {
                state.withLock { _ = $0.running.removeValue(forKey: image.id) }
                submission.stream.abandon()
                onStoreFailure("cannot record the run of \(image.id): \(error)")
                completion(.failure(.storeUnavailable("\(error)", retryAfterSeconds: 5)))
                return
            }
            completion(.success(submission))
            run(image, stream: submission.stream)
        }
    }

    private func run(_ image: UploadedImage, stream: ResultStream) {
        let run = PipelineRun(graph: graph, image: image, stream: stream, pool: pool) { [self] summary, done in
            // Stored, counted and cached before the final event is published: a client that has
            // seen `done` finds the result everywhere, and `stored` tells it whether a restart
            // will keep it.
            guard let (events, final) = stream.seal(final: "done", payload: done.adding("stored", true)) else {
                // Interrupted at shutdown: its end is published already.
                return onRunFinished(image, summary)
            }
            queues.write { [self] store in
                end(stream, in: store, events: events, final: final, done: done, status: summary.status)
                onRunFinished(image, summary)
            }
        }
        run.start()
    }

    /// Stores a run's events and publishes its end (writer thread).
    private func end(_ stream: ResultStream, in store: ResultStore, events: [ResultEvent], final: ResultEvent, done: JSONValue, status: ResultStatus) {
        var published = final
        var saved = true
        do {
            try store.save(id: stream.id, status: status, events: events)
        } catch {
            saved = false
            published = ResultEvent(id: final.id, name: final.name, payload: done.adding("stored", false))
            onStoreFailure("result \(stream.id) was not saved: \(error)")
        }
        state.withLock { s in s.running[stream.id] = nil }
        remember(stream, saved: saved)
        stream.finish(with: published, status: status)
    }

    /// Ends every run still going as interrupted: stored as failed, `done` to its subscribers.
    public func interruptRunning() {
        for stream in state.withLock({ Array($0.running.values) }) {
            let done = Interruption.done.adding("stored", true)
            guard let (events, final) = stream.sealInterrupted(error: Interruption.error, done: done) else { continue }
            queues.write { [self] store in end(stream, in: store, events: events, final: final, done: done, status: .failed) }
        }
    }

    private func remember(_ stream: ResultStream, saved: Bool) {
        state.withLock { s in
            s.finished[stream.id] = stream
            if saved { s.unsaved.remove(stream.id) } else { s.unsaved.insert(stream.id) }
            s.finishedOrder.removeAll { $0 == stream.id }
            s.finishedOrder.append(stream.id)
            while s.finishedOrder.count > cacheLimit {
                let evicted = s.finishedOrder.removeFirst()
                s.finished[evicted] = nil
                s.unsaved.remove(evicted)
            }
        }
    }

    public func lookup(id: String, completion: @escaping @Sendable (ResultLookup) -> Void) {
        if let found = state.withLock({ $0.running[id] ?? $0.finished[id] }) {
            completion(.found(found))
            return
        }
        queues.read { store in
            do {
                guard let stored = try store.load(id: id) else { return completion(.notFound) }
                completion(.found(ResultStream(id: id, events: stored.events, status: stored.status)))
            } catch {
                completion(.unavailable("\(error)"))
            }
        }
    }

    /// The stream of a result that is running, recently finished, or stored (blocking: for
    /// command-line runs and tests).
    public func stream(id: String) -> ResultStream? {
        let answer = BlockingAnswer<ResultLookup>()
        lookup(id: id) { answer.put($0) }
        if case .found(let stream) = answer.take() { return stream }
        return nil
    }

    public func checkStore(completion: @escaping @Sendable (StoreHealth) -> Void) {
        queues.read { store in
            do {
                try store.check()
                completion(StoreHealth(name: "store", ok: true))
            } catch {
                completion(StoreHealth(name: "store", ok: false, message: "\(error)"))
            }
        }
    }

    /// Results older than `seconds` are deleted (on the writer thread).
    public func purge(olderThanSeconds seconds: Int64) {
        queues.write { store in _ = try? store.purge(olderThanSeconds: seconds) }
    }

    public func purgeExpired() { purge(olderThanSeconds: retentionSeconds) }

    public func shutdown() {}
}

extension JSONValue {
    /// This object with one more field (unchanged when it is not an object).
    func adding(_ key: String, _ value: JSONValue) -> JSONValue {
        guard case .object(var object) = self else { return self }
        object[key] = value
        return .object(object)
    }
}
