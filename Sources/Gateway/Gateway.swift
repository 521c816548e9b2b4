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
    public init(settings: GatewaySettings, graph: PipelineGraph,
                readinessChecks: [@Sendable () -> (name: String, state: String, ok: Bool)] = [],
                extraResponder: (@Sendable (HTTPRequestHead) -> HTTPResponse?)? = nil,
                onLog: (@Sendable (HTTPRequestLog) -> Void)? = nil) throws
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

        let store: SQLiteResultStore
        do {
            store = try SQLiteResultStore(path: settings.dataDirectory + "/results.sqlite")
            _ = try store.removeInterrupted()
            _ = try store.purge(olderThanSeconds: settings.resultRetentionSeconds)
        } catch {
            throw GatewayStartupError(description: "result store: \(error)")
        }

        let metrics = Metrics()
        let pool = WorkerPool(workers: settings.workers, queueLimit: settings.queueLimit)
        let hub = ResultHub(graph: graph, pool: pool, store: store, cacheLimit: settings.resultCacheSize) { image, summary in
            unlink(image.path)  // the photo is not kept once its run is over
            metrics.runFinished(summary)
        }
        let context = GatewayContext(settings: settings, hub: hub, store: store, metrics: metrics,
                                     uploadDirectory: uploads, readinessChecks: readinessChecks,
                                     extraResponder: extraResponder)
        self.context = context

        let counter = ConnectionGauge()
        let router = GatewayRouter(gateway: context) {
            [
                ("lens_gpt_open_connections", "Open client connections.", counter.current()),
                ("lens_gpt_runs_running", "Pipeline runs in progress.", hub.runningCount),
                ("lens_gpt_pool_waiting", "Stage tasks waiting for a worker.", pool.waiting),
                ("lens_gpt_pool_running", "Stage tasks running.", pool.running),
            ]
        }
        server = try HTTPServer(configuration: settings.http, onLog: { entry in
            metrics.requestFinished(status: entry.status)
            onLog?(entry)
        }, router: { head, writer in router.route(head, writer) })
        counter.attach(server.connections)

        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + .seconds(3600), repeating: .seconds(3600))
        let retention = settings.resultRetentionSeconds
        timer.setEventHandler { _ = try? store.purge(olderThanSeconds: retention) }
        timer.resume()
        cleanupTimer = Mutex(timer)
    }

    public var port: Int { server.port }

    /// Stops accepting, waits up to `graceMillis` for runs in progress, then stops.
    public func shutdown(graceMillis: Int = 10_000) {
        cleanupTimer.withLock { $0.cancel() }
        let deadline = DispatchTime.now() + .milliseconds(graceMillis)
        server.stopAccepting()
        while context.hub.runningCount > 0 && DispatchTime.now() < deadline {
            usleep(20_000)  // polling a count during shutdown only; nothing else waits on it
        }
        server.shutdown()
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

/// Lets the router's gauge closure read the server's connection count once the server exists.
private final class ConnectionGauge: Sendable {
    private let counter = Mutex<ConnectionCounter?>(nil)
    func attach(_ c: ConnectionCounter) { counter.withLock { $0 = c } }
    func current() -> Int { counter.withLock { $0?.current ?? 0 } }
}
