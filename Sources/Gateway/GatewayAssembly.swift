import Dispatch
import Glibc
import HTTP
import Pipeline

/// The parts `Gateway.init` is assembled from, each owning one concern of the settings.
extension Gateway {
    /// Creates the data directory and its `tmp` (where uploads stream to), checks both are
    /// writable, and removes uploads a previous process never finished. Returns `tmp`'s path.
    static func prepareDataDirectory(_ settings: GatewaySettings) throws -> String {
        let uploads = settings.dataDirectory + "/tmp"
        for directory in [settings.dataDirectory, uploads] {
            if mkdir(directory, 0o700) != 0 && errno != EEXIST {
                throw GatewayStartupError(description: "cannot create \(directory): \(String(cString: strerror(errno)))")
            }
            guard access(directory, W_OK) == 0 else {
                throw GatewayStartupError(description: "data directory \(directory) is not writable")
            }
        }
        Gateway.removeFiles(in: uploads)
        return uploads
    }

    /// The Redis store shared by several gateways (Redis need not be up yet: readiness says so meanwhile).
    static func sharedStoreSettings(_ settings: GatewaySettings, url: String) throws -> SharedResultHub.Settings {
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
        return shared
    }

    /// This gateway's own store (the injected one, else the SQLite file in the data directory),
    /// cleared of runs a previous process left unfinished and of results past their retention.
    static func openLocalStore(_ settings: GatewaySettings, injected: ResultStore?,
                               onPurge: (@Sendable (_ olderThanSeconds: Int64) -> Void)?) throws -> ResultStore {
        do {
            let local = try injected ?? SQLiteResultStore(path: settings.dataDirectory + "/results.sqlite")
            _ = try local.removeInterrupted()
            _ = try local.purge(olderThanSeconds: settings.resultRetentionSeconds)
            onPurge?(settings.resultRetentionSeconds)  // what else is kept per result (diagnostics) goes with it
            return local
        } catch {
            throw GatewayStartupError(description: "result store: \(error)")
        }
    }

    /// The caller's readiness checks, and the network's when the settings ask for it.
    static func readinessChecks(_ settings: GatewaySettings, _ given: [@Sendable () -> (name: String, state: String, ok: Bool)])
        -> [@Sendable () -> (name: String, state: String, ok: Bool)]
    {
        guard settings.checkNetwork else { return given }
        let network = NetworkReadiness()
        return given + [{ let result = network.check(); return ("network", result.state, result.ok) }]
    }

    /// The gauges `/metrics` samples at scrape time.
    static func gauges(_ counters: ServerCounters, _ hub: any ResultService, _ pool: WorkerPool) -> [(name: String, help: String, value: Int)] {
        [
            ("lens_gpt_open_connections", "Open client connections.", counters.openConnections),
            ("lens_gpt_runs_running", "Pipeline runs in progress.", hub.runningCount),
            ("lens_gpt_pool_waiting", "Stage tasks waiting for a worker.", pool.waiting),
            ("lens_gpt_pool_running", "Stage tasks running.", pool.running),
            ("lens_gpt_results_followed", "Running results this gateway reads from Redis (one reader each, whatever the subscribers).",
             (hub as? SharedResultHub)?.followedCount ?? 0),
        ]
    }

    /// The listening ports: plaintext, or HTTPS with plaintext kept, off or redirecting to it.
    static func listeners(_ settings: GatewaySettings, route: @escaping @Sendable (HTTPRequestHead, HTTPResponseWriter) -> HTTPRequestHandler)
        -> (specs: [HTTPListenerSpec], redirect: HTTPSRedirect?)
    {
        guard let tls = settings.tls else { return ([HTTPListenerSpec(port: settings.http.port, router: route)], nil) }
        var specs: [HTTPListenerSpec] = []
        var redirect: HTTPSRedirect?
        switch settings.plaintext {
        case .keep: specs.append(HTTPListenerSpec(port: settings.http.port, router: route))
        case .off: break
        case .redirect:
            let redirector = HTTPSRedirect(httpsPort: tls.port)
            redirect = redirector
            specs.append(HTTPListenerSpec(port: settings.http.port) { head, writer in redirector.route(head, writer) })
        }
        specs.append(HTTPListenerSpec(port: tls.port, transform: tls.session, router: route))
        return (specs, redirect)
    }

    /// Hourly: results past their retention go (on the store's writer thread), with `onPurge`'s extras.
    static func purgeTimer(_ hub: any ResultService, retentionSeconds: Int64,
                           onPurge: (@Sendable (_ olderThanSeconds: Int64) -> Void)?) -> DispatchSourceTimer {
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + .seconds(3600), repeating: .seconds(3600))
        timer.setEventHandler {
            hub.purgeExpired()
            onPurge?(retentionSeconds)
        }
        timer.resume()
        return timer
    }
}
