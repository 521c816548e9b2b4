import Dispatch
import Glibc
import HTTP
import Pipeline
import Synchronization
import EventLoop
import TLS

public struct GatewayStartupError: Error, CustomStringConvertible {
    public let description: String
}

/// The running service: HTTP server, result hub, store and worker pool, wired together.
public final class Gateway: Sendable {
    public let context: GatewayContext
    public let server: HTTPServer
    private let cleanupTimer: Mutex<DispatchSourceTimer>
    private let certificates: TLSCertificateStore?

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
        let uploads = settings.dataDirectory + "/tmp"
        for directory in [settings.dataDirectory, uploads] {
            if mkdir(directory, 0o700) != 0 && errno != EEXIST {
                throw GatewayStartupError(description: "cannot create \(directory): \(String(cString: strerror(errno)))")
            }
            guard access(directory, W_OK) == 0 else {
                throw GatewayStartupError(description: "data directory \(directory) is not writable")
            }
        }
        Gateway.removeFiles(in: uploads)  // uploads of runs that a previous process never finished

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
        let hub: any ResultService
        let store: ResultStore?
        if let url = settings.storeURL, injected == nil {
            // Shared by several gateways; Redis need not be up yet (readiness says so meanwhile).
            var shared: SharedResultHub.Settings
            do {
                shared = SharedResultHub.Settings(address: try RedisAddress.parse(url))
            } catch {
                throw GatewayStartupError(description: "result store: \(error)")
            }
            shared.leaseMillis = settings.leaseMillis
            shared.timeoutMillis = settings.storeTimeoutMillis
            shared.retentionSeconds = settings.resultRetentionSeconds
            shared.uploadsPerMinute = settings.uploadsPerMinute
            shared.uploadBurst = settings.uploadBurst
            shared.cacheLimit = settings.resultCacheSize
            shared.retryAfterSeconds = settings.storeRetryAfterSeconds
            let sharedHub = SharedResultHub(settings: shared, graph: graph, pool: pool, onRunFinished: finished, onStoreFailure: reportStoreError)
            photos?.share(through: sharedHub)  // a photo URL made here is answered by every gateway
            hub = sharedHub
            store = nil
        } else {
            let local: ResultStore
            do {
                local = try injected ?? SQLiteResultStore(path: settings.dataDirectory + "/results.sqlite")
                _ = try local.removeInterrupted()
                _ = try local.purge(olderThanSeconds: settings.resultRetentionSeconds)
                onPurge?(settings.resultRetentionSeconds)  // what else is kept per result (diagnostics) goes with it
            } catch {
                throw GatewayStartupError(description: "result store: \(error)")
            }
            hub = ResultHub(graph: graph, pool: pool, store: local, cacheLimit: settings.resultCacheSize, onRunFinished: finished,
                            retentionSeconds: settings.resultRetentionSeconds, onStoreFailure: reportStoreError)
            store = local
        }
        var checks = readinessChecks
        if settings.checkNetwork {
            let network = NetworkReadiness()
            checks.append { let result = network.check(); return ("network", result.state, result.ok) }
        }
        let context = GatewayContext(settings: settings, hub: hub, store: store, metrics: metrics,
                                     uploadDirectory: uploads, readinessChecks: checks,
                                     extraResponder: extraResponder, photos: photos, monitors: monitors, thumbnails: thumbnails)
        self.context = context

        let counters = ServerCounters()
        let router = GatewayRouter(gateway: context, serverCounters: counters) {
            [
                ("lens_gpt_open_connections", "Open client connections.", counters.openConnections),
                ("lens_gpt_runs_running", "Pipeline runs in progress.", hub.runningCount),
                ("lens_gpt_pool_waiting", "Stage tasks waiting for a worker.", pool.waiting),
                ("lens_gpt_pool_running", "Stage tasks running.", pool.running),
                ("lens_gpt_results_followed", "Running results this gateway reads from Redis (one reader each, whatever the subscribers).",
                 (hub as? SharedResultHub)?.followedCount ?? 0),
            ]
        }
        var specs: [HTTPListenerSpec] = []
        var redirect: HTTPSRedirect?
        let route: @Sendable (HTTPRequestHead, HTTPResponseWriter) -> HTTPRequestHandler = { router.route($0, $1) }
        if let tls = settings.tls {
            let store: TLSCertificateStore
            do {
                store = try TLSCertificateStore(configuration: TLSConfiguration(
                    certificateChainPath: tls.certificatePath, privateKeyPath: tls.privateKeyPath))
            } catch {
                throw GatewayStartupError(description: "TLS: \(error)")
            }
            certificates = store
            switch settings.plaintext {
            case .keep: specs.append(HTTPListenerSpec(port: settings.http.port, router: route))
            case .off: break
            case .redirect:
                let redirector = HTTPSRedirect(httpsPort: tls.port)
                redirect = redirector
                specs.append(HTTPListenerSpec(port: settings.http.port) { head, writer in redirector.route(head, writer) })
            }
            specs.append(HTTPListenerSpec(port: tls.port, transform: {
                TLSStreamTransform(session: try store.makeSession())
            }, router: route))
        } else {
            certificates = nil
            specs.append(HTTPListenerSpec(port: settings.http.port, router: route))
        }
        server = try HTTPServer(configuration: settings.http, listeners: specs, onLog: onLog, accessLog: accessLog)
        counters.attach(server)
        if let redirect, let bound = server.ports.last { redirect.httpsPort.store(bound, ordering: .relaxed) }

        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + .seconds(3600), repeating: .seconds(3600))
        let retention = settings.resultRetentionSeconds
        timer.setEventHandler {
            hub.purgeExpired()  // on the store's writer thread
            onPurge?(retention)
        }
        timer.resume()
        cleanupTimer = Mutex(timer)
    }

    /// The first listener's port (plaintext unless it is off).
    public var port: Int { server.port }
    /// The HTTPS port, when TLS is on.
    public var tlsPort: Int? { certificates == nil ? nil : server.ports.last }

    /// Re-reads the certificate and key for new connections (SIGHUP). On a bad file the old
    /// certificate stays and the error is thrown for the caller to log.
    @discardableResult
    public func reloadCertificates() throws -> TLSCertificateInfo? {
        guard let certificates else { return nil }
        return try certificates.reload()
    }

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

/// Lets the router's metrics read the server's counters once the server exists (the router is
/// made first: the server needs it).
final class ServerCounters: Sendable {
    private let counters = Mutex<(connections: ConnectionCounter, responses: ResponseCounter)?>(nil)
    func attach(_ server: HTTPServer) { counters.withLock { $0 = (server.connections, server.responses) } }
    var openConnections: Int { counters.withLock { $0?.connections.current ?? 0 } }
    var responsesByStatus: [Int: Int] { counters.withLock { $0?.responses }?.byStatus ?? [:] }
}
