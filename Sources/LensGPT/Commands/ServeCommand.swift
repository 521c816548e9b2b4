import ArgumentParser
import Gateway
import Glibc
import HTTP
import Logging
import Outbound
import Pipeline
import Producers
import Secrets
import SystemSupport
import TLS

/// `lens-gpt serve`: runs the gateway until SIGTERM or SIGINT.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the lens-gpt HTTP server.",
        discussion: "Every option can also be set with the LENS_GPT_* variable named in its help; a flag wins over the variable."
    )

    @Option(help: "Address to listen on (LENS_GPT_HOST, default 0.0.0.0).") var host: String?
    @Option(help: "Port to listen on (LENS_GPT_PORT, default 3002).") var port: String?
    @Option(help: "Directory for results and uploads in flight (LENS_GPT_DATA_DIR, default ./data).") var dataDir: String?
    @Option(help: "Directory of the web page (LENS_GPT_WEB_DIR, default ./web).") var webDir: String?
    @Option(help: "Largest accepted image, e.g. 20MiB (LENS_GPT_MAX_UPLOAD, default 20MiB).") var maxUpload: String?
    @Option(help: "Stage tasks running at once (LENS_GPT_WORKERS, default 2 × cores).") var workers: String?
    @Option(help: "Stage tasks that may wait before uploads get 503 (LENS_GPT_QUEUE_LIMIT, default 64).") var queueLimit: String?
    @Option(help: "Event-loop threads (LENS_GPT_LOOPS, default one per core).") var loops: String?
    @Option(help: "Open connections at most (LENS_GPT_MAX_CONNECTIONS, default 16384).") var maxConnections: String?
    @Option(help: "Milliseconds to receive a request's headers (LENS_GPT_HEADER_TIMEOUT_MS, default 10000).") var headerTimeoutMs: String?
    @Option(help: "Milliseconds a keep-alive connection may idle (LENS_GPT_IDLE_TIMEOUT_MS, default 30000).") var idleTimeoutMs: String?
    @Option(help: "Slowest accepted request body in bytes/s (LENS_GPT_MIN_BODY_RATE, default 1024).") var minBodyRate: String?
    @Option(help: "Milliseconds of silence before an SSE heartbeat comment (LENS_GPT_HEARTBEAT_MS, default 15000).") var heartbeatMs: String?
    @Option(help: "Time limit of each pipeline stage in ms (LENS_GPT_STAGE_TIMEOUT_MS, default 60000).") var stageTimeoutMs: String?
    @Option(help: "On SIGTERM, ms runs in progress may go on before they end as interrupted (LENS_GPT_SHUTDOWN_GRACE_MS, default 10000, at most 3600000).") var shutdownGraceMs: String?
    @Option(help: "Days finished results are kept (LENS_GPT_RETENTION_DAYS, default 7).") var retentionDays: String?
    @Option(help: "Where results are kept: sqlite (the file in the data directory) or redis://[user:password@]host:port[/db], shared by several gateways (LENS_GPT_STORE, default sqlite). A password in a flag is visible to every user of the machine (ps): prefer --store-file or the variable.") var store: String?
    @Option(help: "A file holding the --store URL, for a Redis password no other user may read (LENS_GPT_STORE_FILE).") var storeFile: String?
    @Option(help: "Redis store: ms a run's lease lasts unless renewed; a dead gateway's runs end as interrupted after it (LENS_GPT_LEASE_MS, default 10000).") var leaseMs: String?
    @Option(help: "Redis store: ms one Redis call may take before Redis counts as unreachable (LENS_GPT_STORE_TIMEOUT_MS, default 2000).") var storeTimeoutMs: String?
    @Option(help: "trace, debug, info, notice, warning, error (LENS_GPT_LOG_LEVEL, default info).") var logLevel: String?
    @Option(help: "Request-log bytes each event loop buffers before writing, e.g. 64KiB (LENS_GPT_ACCESS_LOG_BUFFER, default 64KiB).") var accessLogBuffer: String?
    @Option(help: "Longest a request-log line waits in the buffer, in ms (LENS_GPT_ACCESS_LOG_FLUSH_MS, default 1000).") var accessLogFlushMs: String?
    @Option(help: "Largest image in pixels, width × height (LENS_GPT_MAX_PIXELS, default 100000000).") var maxPixels: String?
    @Option(help: "Comma-separated origins allowed to call the API from browsers, or * (LENS_GPT_CORS_ORIGINS, default: same origin only).") var corsOrigins: String?
    @Option(help: "Uploads per minute per client address, 0 for no limit (LENS_GPT_UPLOADS_PER_MINUTE, default 60).") var uploadsPerMinute: String?
    @Option(help: "Uploads a client may send in a burst (LENS_GPT_UPLOAD_BURST, default 20).") var uploadBurst: String?
    @Option(help: "Seconds a signed result URL stays valid when LENS_GPT_API_TOKEN is set (LENS_GPT_RESULT_TOKEN_SECONDS, default 3600).") var resultTokenSeconds: String?
    @Option(help: "PEM certificate chain for HTTPS (LENS_GPT_TLS_CERT); with --tls-key turns HTTPS on.") var tlsCert: String?
    @Option(help: "PEM private key for HTTPS (LENS_GPT_TLS_KEY).") var tlsKey: String?
    @Option(help: "HTTPS port (LENS_GPT_TLS_PORT, default 3443).") var tlsPort: String?
    @Option(help: "With HTTPS, the plaintext port: keep, off or redirect (LENS_GPT_PLAINTEXT, default keep).") var plaintext: String?
    @Option(help: "Milliseconds allowed for a TLS handshake (LENS_GPT_TLS_HANDSHAKE_TIMEOUT_MS, default 10000).") var tlsHandshakeTimeoutMs: String?
    @Option(help: "Adds a stage that keeps each result running this many ms, emitting a tick event every second; for capacity tests and benchmarks (LENS_GPT_SYNTHETIC_STAGE_MS, default 0: off).") var syntheticStageMs: String?
    @Option(help: "Milliseconds a connection's queued response bytes may make no progress before it is closed (LENS_GPT_WRITE_TIMEOUT_MS, default 30000).") var writeTimeoutMs: String?
    @Option(help: "Unread response bytes after which a connection's pipelined requests wait, e.g. 256KiB (LENS_GPT_WRITE_HIGH_WATER, default 256KiB).") var writeHighWater: String?
    @Option(help: "Free space in the data directory below which /readyz says not ready, e.g. 64MiB (LENS_GPT_MIN_FREE_DISK, default 64MiB).") var minFreeDisk: String?
    @Flag(help: "Share the port with other processes (SO_REUSEPORT) instead of failing when it is busy (LENS_GPT_REUSE_PORT).") var reusePort = false
    @OptionGroup var pipeline: PipelineOptions
    @Flag(help: "Run against the offline demo world: the Lens replica on loopback with a local chromedriver (LENS_GPT_DEMO).") var demo = false
    @Option(help: "With --demo, faults to switch on, comma-separated: \(DemoWiring.faultList) (LENS_GPT_DEMO_FAULTS); switched at run time with POST {demo world}/demo/faults?NAME=on|off.") var demoFaults: String?
    @Flag(help: "With --demo, use the demo world's OpenAI-compatible server as the LLM (LENS_GPT_DEMO_LLM).") var demoLlm = false
    @Flag(help: "With --demo, answer through the demo world's replicas of the official APIs as if their keys were set: \(MarketplaceAPIs.browse.apiName), the barcode databases and the web-search APIs (LENS_GPT_DEMO_APIS).") var demoApis = false
    @Option(help: "Country of a request that names none, ISO 3166 two letters (LENS_GPT_DEFAULT_COUNTRY, default US).") var defaultCountry: String?
    @Option(help: "Language of a request that names none and sends no Accept-Language (LENS_GPT_DEFAULT_LANGUAGE, default en).") var defaultLanguage: String?

    /// What a run still does without a browser, for the startup log.
    static let withoutBrowser = "the photo readers (barcodes, printed text), the APIs whose keys are set and identification still run"

    func accessLogBytes() throws -> Int { try Setting.bytes(accessLogBuffer, env: "LENS_GPT_ACCESS_LOG_BUFFER", default: 64 * 1024, in: 0...(64 << 20)) }
    func accessLogFlushMillis() throws -> Int { try Setting.int(accessLogFlushMs, env: "LENS_GPT_ACCESS_LOG_FLUSH_MS", default: 1_000, in: 1...60_000) }
    func syntheticStageMillis() throws -> Int { try Setting.int(syntheticStageMs, env: "LENS_GPT_SYNTHETIC_STAGE_MS", default: 0, in: 0...3_600_000) }

    /// Every setting is checked when the command line is parsed: a bad one is refused before
    /// anything listens or starts.
    func validate() throws {
        try Setting.validating {
            _ = try resolveSettings()
            _ = try (accessLogBytes(), accessLogFlushMillis(), syntheticStageMillis())
        }
    }

    func resolveSettings() throws -> GatewaySettings {
        var s = GatewaySettings()
        s.http.host = Setting.string(host, env: "LENS_GPT_HOST", default: s.http.host)
        s.http.port = try Setting.int(port, env: "LENS_GPT_PORT", default: s.http.port, in: 0...65_535)
        s.dataDirectory = Setting.string(dataDir, env: "LENS_GPT_DATA_DIR", default: s.dataDirectory)
        s.webDirectory = Setting.string(webDir, env: "LENS_GPT_WEB_DIR", default: s.webDirectory)
        s.maxUploadBytes = try Setting.bytes(maxUpload, env: "LENS_GPT_MAX_UPLOAD", default: s.maxUploadBytes, in: 1...(1 << 30))
        s.workers = try Setting.int(workers, env: "LENS_GPT_WORKERS", default: s.workers, in: 1...1024)
        s.queueLimit = try Setting.int(queueLimit, env: "LENS_GPT_QUEUE_LIMIT", default: s.queueLimit, in: 0...1_000_000)
        s.http.loopCount = try Setting.int(loops, env: "LENS_GPT_LOOPS", default: s.http.loopCount, in: 1...256)
        s.http.maxConnections = try Setting.int(maxConnections, env: "LENS_GPT_MAX_CONNECTIONS", default: s.http.maxConnections, in: 1...1_000_000)
        s.http.headerTimeoutMillis = UInt64(try Setting.int(headerTimeoutMs, env: "LENS_GPT_HEADER_TIMEOUT_MS",
                                                            default: Int(s.http.headerTimeoutMillis), in: 1...3_600_000))
        s.http.idleTimeoutMillis = UInt64(try Setting.int(idleTimeoutMs, env: "LENS_GPT_IDLE_TIMEOUT_MS",
                                                          default: Int(s.http.idleTimeoutMillis), in: 1...86_400_000))
        s.http.minBodyBytesPerSecond = try Setting.int(minBodyRate, env: "LENS_GPT_MIN_BODY_RATE", default: s.http.minBodyBytesPerSecond, in: 0...(1 << 30))
        s.heartbeatMillis = try Setting.int(heartbeatMs, env: "LENS_GPT_HEARTBEAT_MS", default: s.heartbeatMillis, in: 100...3_600_000)
        s.stageTimeoutMillis = try Setting.int(stageTimeoutMs, env: "LENS_GPT_STAGE_TIMEOUT_MS", default: s.stageTimeoutMillis, in: 1...3_600_000)
        s.shutdownGraceMillis = try Setting.int(shutdownGraceMs, env: "LENS_GPT_SHUTDOWN_GRACE_MS", default: s.shutdownGraceMillis, in: 0...3_600_000)
        s.maxPixels = try Setting.int(maxPixels, env: "LENS_GPT_MAX_PIXELS", default: s.maxPixels, in: 1...1_000_000_000)
        s.corsOrigins = Setting.string(corsOrigins, env: "LENS_GPT_CORS_ORIGINS", default: "")
            .split(separator: ",").map { String($0).trimmingCharacters(in: " ") }.filter { !$0.isEmpty }
        s.uploadsPerMinute = try Setting.int(uploadsPerMinute, env: "LENS_GPT_UPLOADS_PER_MINUTE", default: s.uploadsPerMinute, in: 0...1_000_000)
        s.uploadBurst = try Setting.int(uploadBurst, env: "LENS_GPT_UPLOAD_BURST", default: s.uploadBurst, in: 1...1_000_000)
        s.resultTokenSeconds = try Setting.int(resultTokenSeconds, env: "LENS_GPT_RESULT_TOKEN_SECONDS", default: s.resultTokenSeconds, in: 1...31_536_000)
        // A secret: from the environment only, so it never shows in `ps` or shell history.
        s.apiToken = Setting.environment("LENS_GPT_API_TOKEN")
        let https = try httpsFiles()
        let mode = Setting.string(plaintext, env: "LENS_GPT_PLAINTEXT", default: "keep")
        guard let parsedMode = PlaintextMode(rawValue: mode) else {
            throw SettingError(description: "LENS_GPT_PLAINTEXT (or --plaintext) must be keep, off or redirect, not \"\(mode)\"")
        }
        guard parsedMode == .keep || https != nil else {
            throw SettingError(description: "--plaintext \(mode) needs HTTPS (--tls-cert and --tls-key)")
        }
        s.plaintext = parsedMode
        s.http.tlsHandshakeTimeoutMillis = UInt64(try Setting.int(tlsHandshakeTimeoutMs, env: "LENS_GPT_TLS_HANDSHAKE_TIMEOUT_MS",
                                                                  default: Int(s.http.tlsHandshakeTimeoutMillis), in: 1...600_000))
        s.resultRetentionSeconds = Int64(try Setting.int(retentionDays, env: "LENS_GPT_RETENTION_DAYS", default: 7, in: 1...3650)) * 86_400
        s.http.writeTimeoutMillis = UInt64(try Setting.int(writeTimeoutMs, env: "LENS_GPT_WRITE_TIMEOUT_MS",
                                                           default: Int(s.http.writeTimeoutMillis), in: 1...86_400_000))
        s.http.writeHighWaterBytes = try Setting.bytes(writeHighWater, env: "LENS_GPT_WRITE_HIGH_WATER", default: s.http.writeHighWaterBytes, in: 1024...(1 << 30))
        s.minFreeDiskBytes = try Setting.bytes(minFreeDisk, env: "LENS_GPT_MIN_FREE_DISK", default: s.minFreeDiskBytes, in: 0...(1 << 40))
        s.http.reusePort = try Setting.bool(reusePort, env: "LENS_GPT_REUSE_PORT")
        // The offline demo needs no network; a real run does.
        s.checkNetwork = !(try Setting.bool(demo, env: "LENS_GPT_DEMO"))
        let country = Setting.string(defaultCountry, env: "LENS_GPT_DEFAULT_COUNTRY", default: s.defaultLocale.country)
        let language = Setting.string(defaultLanguage, env: "LENS_GPT_DEFAULT_LANGUAGE", default: s.defaultLocale.language)
        guard let parsedCountry = RunLocale.country(country), let parsedLanguage = RunLocale.language(language) else {
            throw SettingError(description: "LENS_GPT_DEFAULT_COUNTRY must be two letters (US, DE) and LENS_GPT_DEFAULT_LANGUAGE a language tag (en, de-DE), not \"\(country)\", \"\(language)\"")
        }
        s.defaultLocale = RunLocale(country: parsedCountry, language: parsedLanguage)
        let storeText = try Setting.secret(store, flagName: "--store", file: storeFile, fileFlagName: "--store-file", fileEnv: "LENS_GPT_STORE_FILE",
                                           env: "LENS_GPT_STORE", as: SecretSettings.store) ?? "sqlite"
        if storeText != "sqlite" {
            do {
                _ = try RedisAddress.parse(storeText)
            } catch {
                throw SettingError(description: "LENS_GPT_STORE (or --store) must be sqlite or redis://[user:password@]host:port[/db]: \(error)")
            }
            s.storeURL = storeText
        }
        s.leaseMillis = try Setting.int(leaseMs, env: "LENS_GPT_LEASE_MS", default: s.leaseMillis, in: 100...3_600_000)
        s.storeTimeoutMillis = try Setting.int(storeTimeoutMs, env: "LENS_GPT_STORE_TIMEOUT_MS", default: s.storeTimeoutMillis, in: 10...600_000)
        return s
    }

    /// The HTTPS certificate chain, key and port, when HTTPS is asked for (both files named).
    func httpsFiles() throws -> (configuration: TLSConfiguration, port: Int)? {
        let cert = Setting.string(tlsCert, env: "LENS_GPT_TLS_CERT", default: "")
        let key = Setting.string(tlsKey, env: "LENS_GPT_TLS_KEY", default: "")
        guard !cert.isEmpty || !key.isEmpty else { return nil }
        guard !cert.isEmpty, !key.isEmpty else {
            throw SettingError(description: "HTTPS needs both --tls-cert and --tls-key (LENS_GPT_TLS_CERT, LENS_GPT_TLS_KEY)")
        }
        return (TLSConfiguration(certificateChainPath: cert, privateKeyPath: key),
                try Setting.int(tlsPort, env: "LENS_GPT_TLS_PORT", default: 3443, in: 0...65_535))
    }

    struct StartFailure: Error, CustomStringConvertible {
        let description: String
    }

    /// Loads the certificate and key once at start; unusable files stop the start.
    static func loadCertificates(_ configuration: TLSConfiguration) throws -> TLSCertificateStore {
        do {
            return try TLSCertificateStore(configuration: configuration)
        } catch {
            throw StartFailure(description: "TLS: \(error)")
        }
    }

    /// Stop (TERM, INT) and reload the certificate (HUP), taken by `run`'s thread with `sigwait`.
    static let signals = [SIGTERM, SIGINT, SIGHUP]

    func run() throws {
        // Signals are taken synchronously by this thread; every thread started later inherits the mask.
        SignalMask.block(ServeCommand.signals)

        let (logger, level) = try bootstrapLogging()
        // One line per request at `info`, buffered per loop (no system call per request).
        let accessLog = level <= .info ? AccessLogSettings(
            bufferBytes: try accessLogBytes(), flushMillis: try accessLogFlushMillis(),
            format: RequestLogLine.append) : nil
        var settings: GatewaySettings
        let https: (configuration: TLSConfiguration, port: Int)?
        do {
            settings = try resolveSettings()
            https = try httpsFiles()
        } catch {
            throw ValidationError("\(error)")
        }

        let demoWorld: DemoWiring?
        var demoAPIs: DemoAPIWiring?
        let setup: PipelineSetup
        do {
            let model = Setting.string(pipeline.model, env: "LENS_GPT_MODEL", default: "gpt-4o")
            (demoWorld, demoAPIs) = try startDemo(model: model)
            setup = try PipelineSetup.make(pipeline, dataDirectory: settings.dataDirectory,
                                           stageTimeoutMillis: settings.stageTimeoutMillis,
                                           syntheticStageMillis: try syntheticStageMillis(),
                                           demo: demoWorld, maxPixels: settings.maxPixels, chat: demoWorld?.chat(model: model),
                                           servesPhotos: true, maxUploadBytes: settings.maxUploadBytes,
                                           retentionSeconds: Int(settings.resultRetentionSeconds), demoAPIs: demoAPIs?.endpoints)
        } catch {
            logger.critical("cannot start: \(error)")
            throw ExitCode.failure
        }
        let lensSetup = setup.lens
        if demoWorld != nil && lensSetup == nil {
            logger.critical(setup.browserDisabled ? "--demo needs the browser: drop --no-browser"
                : "--demo needs a browser: install chromedriver (Debian: chromium-driver) or set --webdriver-url")
            throw ExitCode.failure
        }

        let demoPages = demoWorld?.gatewayResponder
        let gateway: Gateway
        let certificates: TLSCertificateStore?
        do {
            certificates = try https.map { try ServeCommand.loadCertificates($0.configuration) }
            if let https, let certificates {
                settings.tls = TLSSettings(port: https.port) { TLSStreamTransform(session: try certificates.makeSession()) }
            }
            gateway = try Gateway(settings: settings,
                                  graph: setup.graph,
                                  readinessChecks: setup.readinessChecks,
                                  extraResponder: demoPages,
                                  photos: setup.visual.photos, monitors: setup.monitors, thumbnails: setup.thumbnails,
                                  accessLog: accessLog,
                                  onPurge: { seconds in lensSetup?.runner.diagnostics?.purge(olderThanSeconds: seconds) },
                                  onStoreError: { message in logger.error("store: \(message)") })
        } catch {
            logger.critical("cannot start: \(error)")
            throw ExitCode.failure
        }
        startServices(logger, settings: settings, gateway: gateway, setup: setup, demo: demoWorld, demoAPIs: demoAPIs)

        var received: Int32
        while true {
            received = SignalMask.wait(for: ServeCommand.signals)
            guard received == SIGHUP else { break }
            // Certificate renewals: new connections get the new files, open ones are untouched.
            do {
                if let info = try certificates?.reload() {
                    logger.notice("reloaded TLS certificate \(info)")
                } else {
                    logger.notice("SIGHUP: no TLS certificate to reload")
                }
            } catch {
                logger.error("TLS reload failed, keeping the current certificate: \(error)")
            }
        }
        logger.info("signal \(received): not accepting; runs in progress have \(settings.shutdownGraceMillis) ms to finish, then stopping")
        setup.visual.canary?.stop()
        setup.searchCanary?.stop()
        gateway.shutdown(graceMillis: settings.shutdownGraceMillis)
        lensSetup?.pool.shutdown()
        demoWorld?.shutdown()
        demoAPIs?.shutdown()
        logger.info("stopped")
    }

    /// The log level, and the logger every line of the server goes through (scrubbed of secrets).
    private func bootstrapLogging() throws -> (Logger, Logger.Level) {
        let levelText = Setting.string(logLevel, env: "LENS_GPT_LOG_LEVEL", default: "info")
        guard let level = Logger.Level(rawValue: levelText) else {
            throw ValidationError("log level must be one of trace, debug, info, notice, warning, error")
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return ScrubbingLogHandler(handler)
        }
        return (Logger(label: "lens-gpt"), level)
    }

    /// The demo world and its API replicas, as `--demo`, `--demo-faults`, `--demo-llm` and `--demo-apis` ask.
    private func startDemo(model: String) throws -> (DemoWiring?, DemoAPIWiring?) {
        let faultList = Setting.string(demoFaults, env: "LENS_GPT_DEMO_FAULTS", default: "")
        let useDemoLLM = try Setting.bool(demoLlm, env: "LENS_GPT_DEMO_LLM")
        let useDemoAPIs = try Setting.bool(demoApis, env: "LENS_GPT_DEMO_APIS")
        guard try Setting.bool(demo, env: "LENS_GPT_DEMO") else {
            if !faultList.trimmingCharacters(in: " ").isEmpty || useDemoLLM || useDemoAPIs {
                throw SettingError(description: "--demo-faults, --demo-llm and --demo-apis need --demo")
            }
            return (nil, nil)
        }
        let world = try DemoWiring.start(faultList: faultList, llmModel: useDemoLLM ? model : nil, apis: useDemoAPIs)
        return (world, useDemoAPIs ? try DemoAPIWiring.start() : nil)
    }

    /// Warms the browsers, starts the canaries, and logs what listens where, what each stage runs
    /// on and what is off.
    private func startServices(_ logger: Logger, settings: GatewaySettings, gateway: Gateway, setup: PipelineSetup,
                            demo demoWorld: DemoWiring?, demoAPIs: DemoAPIWiring?)
    {
        var listening = "http://\(settings.http.host):\(gateway.port)"
        if let tlsPort = gateway.tlsPort {
            listening = settings.plaintext == .off ? "https://\(settings.http.host):\(tlsPort)"
                : listening + " (\(settings.plaintext.rawValue)) and https://\(settings.http.host):\(tlsPort)"
        }
        let storeName = (settings.storeURL.flatMap { try? RedisAddress.parse($0) }).map { "results in \($0)" } ?? "results in SQLite"
        logger.info("lens-gpt listening on \(listening) (data: \(settings.dataDirectory), \(storeName), \(settings.http.loopCount) loops, \(settings.workers) workers)")
        if let lensSetup = setup.lens {
            lensSetup.pool.warmUp()
            logger.info("lens: \(lensSetup.pool.configuration.size) browser sessions from \(lensSetup.endpointDescription), starting at \(lensSetup.runner.profile.startURL)")
        } else if setup.browserDisabled {
            logger.notice("browser: off (--no-browser): no Google Lens and no result pages; \(ServeCommand.withoutBrowser)")
        } else {
            logger.notice("browser: none configured (set --webdriver-url or install chromedriver): no Google Lens and no result pages; \(ServeCommand.withoutBrowser)")
        }
        logger.info("stages: \(setup.graph.stages.joined(separator: ", ")); \(setup.llmDescription)")
        if let photos = setup.visual.photos, demoWorld != nil, Setting.string(pipeline.visual.publicBaseUrl, env: "LENS_GPT_PUBLIC_BASE_URL") == nil {
            photos.setPublicBaseURL("http://127.0.0.1:\(gateway.port)")  // the demo's hosted-API replica is on this machine
        }
        let visualLine = "visual search: \(setup.visual.providers.map(\.name).joined(separator: " → "))"
            + (setup.visual.notes.isEmpty ? "" : " (not used: \(setup.visual.notes.joined(separator: "; ")))")
            + (setup.visual.photos.map { "; photos for hosted APIs under \($0.publicBaseURL)/photos/" } ?? "")
        logger.info("\(visualLine)")
        if let canary = setup.visual.canary {
            canary.start()
            logger.info("canary: every \(canary.intervalMillis) ms through \(canary.providers.count) providers; see /readyz")
        }
        if let searchCanary = setup.searchCanary {
            searchCanary.start()
            logger.info("search canaries: every \(searchCanary.intervalMillis) ms through \(searchCanary.probes.map(\.search.name).joined(separator: ", ")); see /readyz")
        }
        if let demoWorld, !demoWorld.faultNames.isEmpty {
            logger.notice("demo faults on: \(demoWorld.faultNames.joined(separator: ", "))")
        }
        if let demoWorld {
            logger.info("demo world on \(demoWorld.baseURL): Lens replica \(demoWorld.lensURL), sample photos at /demo/samples.json, faults switched at \(demoWorld.world.faultsURL)")
            if let demoAPIs {
                logger.info("demo API replicas: barcode databases at \(demoAPIs.barcodeDatabases.baseURL), web-search APIs at \(demoAPIs.webSearchAPIs.baseURL)")
            }
        }
    }
}
