/// What the gateway asks of the results, whichever store keeps them: the embedded SQLite file
/// (`ResultHub`) or Redis shared by several gateways (`SharedResultHub`).
///
/// Every call returns at once; answers come back through `completion` on a store or worker
/// thread, so a caller on an event-loop thread never waits for a disk or a network.
public protocol ResultService: Sendable {
    var stages: [String] { get }
    /// Runs in progress in this process.
    var runningCount: Int { get }
    /// An upload from `client` has arrived: starts its run or joins the one already under way.
    func submit(_ image: UploadedImage, client: String,
                completion: @escaping @Sendable (Result<ResultSubmission, ResultSubmitError>) -> Void)
    /// The stream of a result that is running, finished and kept, or not known.
    func lookup(id: String, completion: @escaping @Sendable (ResultLookup) -> Void)
    /// For `/readyz`: whether the store answers.
    func checkStore(completion: @escaping @Sendable (StoreHealth) -> Void)
    /// Drops results past their retention.
    func purgeExpired()
    /// Ends the runs of this process still going: `stage-error` `interrupted` and `done`
    /// (`failed`, `"interrupted": true`) to every subscriber. For the end of a shutdown's grace.
    func interruptRunning()
    /// Stops background work (readers, lease renewal); runs in progress are not waited for.
    func shutdown()
}

public struct ResultSubmission: Sendable {
    public let stream: ResultStream
    /// True when this upload started a new run (which now owns the image file).
    public let startedRun: Bool

    public init(stream: ResultStream, startedRun: Bool) {
        self.stream = stream
        self.startedRun = startedRun
    }
}

public enum ResultSubmitError: Error, Sendable {
    /// Too much work waiting: answer 503 with Retry-After.
    case overloaded(retryAfterSeconds: Int)
    /// The store could not record the run (disk full, unwritable data directory, Redis down).
    case storeUnavailable(String, retryAfterSeconds: Int)
    /// The client's upload rate, counted across every gateway that shares the store.
    case rateLimited(retryAfterSeconds: Int)
}

public enum ResultLookup: Sendable {
    case found(ResultStream)
    case notFound
    /// The store cannot be reached: nothing can be said about the result right now.
    case unavailable(String)
}

/// A store's state for `/readyz`: `name` is what the operator sees (`store`, `redis`).
public struct StoreHealth: Sendable {
    public let name: String
    public let ok: Bool
    public let message: String?
    /// A machine-readable cause when not ok and more is known than "unreachable"
    /// (`store_refuses_writes`).
    public let reason: String?

    public init(name: String, ok: Bool, message: String? = nil, reason: String? = nil) {
        self.name = name
        self.ok = ok
        self.message = message
        self.reason = reason
    }
}

extension ResultService {
    /// Blocking form of `submit` for command-line runs and tests; never call it on a loop thread.
    public func submit(_ image: UploadedImage, client: String = "local") throws(ResultSubmitError) -> ResultSubmission {
        let answer = BlockingAnswer<Result<ResultSubmission, ResultSubmitError>>()
        submit(image, client: client) { answer.put($0) }
        return try answer.take().get()
    }
}
