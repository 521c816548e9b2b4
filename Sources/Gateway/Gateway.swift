import Dispatch
import Glibc
import HTTP
import Pipeline
import Synchronization
import EventLoop

public struct GatewayStartupError: Error, CustomStringConvertible {
    public let description: String
}

/// The running service: HTTP server, result hub, store and worker pool, wired together.
public final class Gateway: Sendable {
    public let context: GatewayContext
    public let server: HTTPServer
    private let cleanupTimer: Mutex<DispatchSourceTimer>

    /// Starts serving. `graph` is the stage tree (`StageTree.graph()` in production).
    /// `store`: where results are kept; nil for `settings.storeURL` (Redis) or else the SQLite
    /// file in the data directory.
    public init(settings: GatewaySettings, graph: PipelineGraph, store injected: ResultStore? = nil,
                readinessChecks: [@Sendable () -> (name: String, state: String, ok: Bool)] = [],
                extraResponder: (@Sendable (HTTPRequestHead) -> HTTPResponse?)? = nil,
                photos: PhotoShelf? = nil, monitors: [any ServiceMonitor] = [], thumbnails: (any ThumbnailStore)? = nil,
                onLog: (@Sendable (HTTPRequestLog) -> Void)? = nil, accessLog: AccessLogSettings? = nil,
                onPurge: (@Sendable (_ olderThanSeconds: Int64) -> Void)? = nil,
                onStoreError: (@Sendable (String) -> Void)? = nil) throws
    {
        let uploads = try Gateway.prepareDataDirectory(settings)
        let metrics = Metrics()
        let reportStoreError: @Sendable (String) -> Void = { message in
            metrics.storeFailed()
            if let onStoreError { onStoreError(message) } else { Gateway.logToStandardError("lens-gpt: store: \(message)\n") }
        }
        let pool = WorkerPool(workers: settings.workers, queueLimit: settings.queueLimit)
        let finished: @Sendable (UploadedImage, RunSummary) -> Void = { image, summary in
            unlink(image.path)  // the photo is not kept once its run is over
            metrics.runFinished(summary)
        }
        let (hub, store): (any ResultService, ResultStore?)
        if let url = settings.storeURL, injected == nil {
            let shared = SharedResultHub(settings: try Gateway.sharedStoreSettings(settings, url: url), graph: graph, pool: pool,
                                         onRunFinished: finished, onStoreFailure: reportStoreError)
            photos?.share(through: shared)  // a photo URL made here is answered by every gateway
            (hub, store) = (shared, nil)
        } else {
            let local = try Gateway.openLocalStore(settings, injected: injected, onPurge: onPurge)
            hub = ResultHub(graph: graph, pool: pool, store: local, cacheLimit: settings.resultCacheSize, onRunFinished: finished,
                            retentionSeconds: settings.resultRetentionSeconds, onStoreFailure: reportStoreError)
            store = local
        }
        let context = GatewayContext(settings: settings, hub: hub, store: store, metrics: metrics,
                                     uploadDirectory: uploads, readinessChecks: Gateway.readinessChecks(settings, readinessChecks),
                                     extraResponder: extraResponder, photos: photos, monitors: monitors, thumbnails: thumbnails)
        self.context = context

        let counters = ServerCounters()
        let router = GatewayRouter(gateway: context, serverCounters: counters) { Gateway.gauges(counters, hub, pool) }
        let listeners = Gateway.listeners(settings) { router.route($0, $1) }
        server = try HTTPServer(configuration: settings.http, listeners: listeners.specs, onLog: onLog, accessLog: accessLog)
        counters.attach(server)
        if let redirect = listeners.redirect, let bound = server.ports.last { redirect.httpsPort.store(bound, ordering: .relaxed) }
        cleanupTimer = Mutex(Gateway.purgeTimer(hub, retentionSeconds: settings.resultRetentionSeconds, onPurge: onPurge))
    }

    /// The first listener's port (plaintext unless it is off).
    public var port: Int { server.port }
    /// The HTTPS port, when TLS is on.
    public var tlsPort: Int? { context.settings.tls == nil ? nil : server.ports.last }

    /// Stops accepting at once (the listeners close), lets runs in progress finish for up to
    /// `graceMillis`, ends those still going as `interrupted`, lets every open event stream write
    /// its end (for up to the write timeout: a client that does not read is not waited for), then
    /// stops.
    public func shutdown(graceMillis: Int) {
        cleanupTimer.withLock { $0.cancel() }
        let deadline = DispatchTime.now() + .milliseconds(graceMillis)
        server.stopAccepting()
        while context.hub.runningCount > 0 && DispatchTime.now() < deadline {
            usleep(20_000)  // polling a count during shutdown only; nothing else waits on it
        }
        context.hub.interruptRunning()
        let flushed = DispatchTime.now() + .milliseconds(Int(context.settings.http.writeTimeoutMillis))
        while context.openStreams.current > 0 && DispatchTime.now() < flushed {
            usleep(20_000)
        }
        server.shutdown()
        context.hub.shutdown()
    }

    /// A store failure when no logger is wired (tests, embedders): one line on fd 2.
    static func logToStandardError(_ line: String) {
        var bytes = Array(line.utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }

    static func removeFiles(in directory: String) {
        guard let dir = opendir(directory) else { return }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix("upload-") { unlink(directory + "/" + name) }
        }
    }
}
