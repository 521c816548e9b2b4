import Dispatch
import Glibc
import HTTP
import Pipeline
import Secrets
import Synchronization

/// What every request handler of the gateway shares.
public final class GatewayContext: Sendable {
    public let settings: GatewaySettings
    /// Results: runs, streams and the store behind them. Every call answers through a
    /// completion off the loop; handlers hop back to their loop with `loop.execute`.
    public let hub: any ResultService
    /// The local store behind `hub` (nil with Redis), for tools and tests; never called on a loop thread.
    public let store: ResultStore?
    public let metrics: Metrics
    let staticFiles: StaticFiles
    /// Where uploads stream to while they arrive and while their run lasts.
    let uploadDirectory: String
    /// Creates an upload's temp file in `uploadDirectory`, on that file's own queue (never a
    /// loop's). Replaceable so that a test can stand in a disk whose file creation stalls.
    let uploadFileCreation: Mutex<UploadFile.Create>
    var createUploadFile: UploadFile.Create { uploadFileCreation.withLock { $0 } }
    /// Extra readiness checks (browser, LLM) added by later stages: name → state, ok.
    let readinessChecks: [@Sendable () -> (name: String, state: String, ok: Bool)]
    let rateLimiter: RateLimiter
    /// Signs result URLs when an API token is set.
    let resultTokens: ResultToken?
    /// Answers for GET paths that are neither API nor `web/` files (the demo's sample photos).
    let extraResponder: (@Sendable (HTTPRequestHead) -> HTTPResponse?)?
    /// Photos hosted visual-search APIs fetch by signed URL (`/photos/…`); nil: none.
    let photos: PhotoShelf?
    /// Visual-search providers' health and canary counts, for `/readyz` and `/metrics`.
    let monitors: [any ServiceMonitor]
    /// The Lens thumbnails behind `/results/{id}/thumbnails/{n}` (nil: none kept).
    let thumbnails: (any ThumbnailStore)?
    /// SSE responses not yet ended: shutdown lets them write their last events before it stops.
    let openStreams = StreamCount()
    /// Where requests' file reads run (photos, thumbnails, `web/` files, readiness's disk and
    /// procfs checks): never on a loop thread, where a slow disk would stall every connection
    /// of that loop. Serial: a stalled read delays other reads, not the loop.
    let files = DispatchQueue(label: "lens-gpt.gateway.files")

    init(settings: GatewaySettings, hub: any ResultService, store: ResultStore?, metrics: Metrics, uploadDirectory: String,
         readinessChecks: [@Sendable () -> (name: String, state: String, ok: Bool)],
         extraResponder: (@Sendable (HTTPRequestHead) -> HTTPResponse?)? = nil,
         photos: PhotoShelf? = nil, monitors: [any ServiceMonitor] = [], thumbnails: (any ThumbnailStore)? = nil)
    {
        self.extraResponder = extraResponder
        self.photos = photos
        self.monitors = monitors
        self.thumbnails = thumbnails
        self.settings = settings
        self.hub = hub
        self.store = store
        self.metrics = metrics
        self.uploadDirectory = uploadDirectory
        uploadFileCreation = Mutex(UploadFile.temporary(in: uploadDirectory))
        self.readinessChecks = readinessChecks
        staticFiles = StaticFiles(root: settings.webDirectory)
        rateLimiter = RateLimiter(perMinute: settings.uploadsPerMinute, burst: settings.uploadBurst)
        resultTokens = settings.apiToken.map(ResultToken.init(secret:))
        if let token = settings.apiToken { SecretScrubber.shared.register(token, as: SecretSettings.apiToken) }
    }

    /// `/results/{id}` and `/results/{id}/events`, signed when an API token is set.
    func resultURLs(id: String) -> (events: String, result: String) {
        guard let resultTokens else { return ("/results/\(id)/events", "/results/\(id)") }
        let token = resultTokens.make(id: id, expiresAt: Int64(time(nil)) + Int64(settings.resultTokenSeconds))
        return ("/results/\(id)/events?token=\(token)", "/results/\(id)?token=\(token)")
    }

    /// Removes an upload's file, on the file queue (handlers call this on their loop).
    func removeFile(_ path: String) {
        files.async { _ = unlink(path) }
    }
}

/// A count shared by every loop's subscriptions.
final class StreamCount: Sendable {
    private let value = Atomic(0)
    var current: Int { value.load(ordering: .relaxed) }
    func opened() { value.add(1, ordering: .relaxed) }
    func closed() { value.subtract(1, ordering: .relaxed) }
}
