import Glibc
import ArgumentParser
import Outbound
import Producers

/// Browser and Lens settings shared by `serve` and `lens`.
struct LensOptions: ParsableArguments {
    @Option(help: "W3C WebDriver URL of a browser sidecar or Selenium Grid (LENS_GPT_WEBDRIVER_URL). Unset: start chromedriver here.")
    var webdriverUrl: String?
    @Option(help: "chromedriver to start when no WebDriver URL is set (LENS_GPT_CHROMEDRIVER, default: chromedriver on PATH).")
    var chromedriver: String?
    @Option(help: "Warm browser sessions (LENS_GPT_BROWSER_POOL_SIZE, default 2).")
    var browserPoolSize: String?
    @Option(help: "Uses after which a browser session is replaced (LENS_GPT_BROWSER_RECYCLE_AFTER, default 20).")
    var browserRecycleAfter: String?
    @Option(help: "Milliseconds a search may wait for a free browser session (LENS_GPT_BROWSER_WAIT_MS, default 30000).")
    var browserWaitMs: String?
    @Option(help: "Lens profile JSON file (LENS_GPT_LENS_PROFILE, default: the built-in Google Lens profile).")
    var lensProfile: String?
    @Option(help: "Start URL that replaces the profile's, e.g. the offline replica (LENS_GPT_LENS_URL).")
    var lensUrl: String?
    @Option(help: "Failure screenshots and page sources kept at most, as files (LENS_GPT_DIAGNOSTICS_MAX_FILES, default 200).")
    var diagnosticsMaxFiles: String?
    @Option(help: "Bytes of failure screenshots and page sources kept at most, e.g. 64MiB (LENS_GPT_DIAGNOSTICS_MAX_BYTES, default 64MiB).")
    var diagnosticsMaxBytes: String?
    @Option(help: "headed or headless (LENS_GPT_BROWSER_MODE; default headed with a WebDriver URL, whose sidecar has a display; headless for a local chromedriver unless --xvfb).")
    var browserMode: String?
    @Flag(help: "Start Debian's Xvfb on a free display and run the local browser headed there (LENS_GPT_XVFB).")
    var xvfb = false
    @Option(help: "Browser language, a BCP 47 tag such as en-US or de-CH, for navigator.language and Accept-Language (LENS_GPT_LANGUAGE, default en-US).")
    var language: String?
    @Option(help: "Address the browser's guard proxy listens on (LENS_GPT_BROWSER_GUARD_LISTEN, default 127.0.0.1; a sidecar browser needs one it can reach).")
    var browserGuardListen: String?
    @Option(help: "Host name the browser uses to reach the guard proxy (LENS_GPT_BROWSER_GUARD_HOST, default: the listen address).")
    var browserGuardHost: String?
    @Option(help: "Browser connections the guard proxy serves at once; more get 503 (LENS_GPT_BROWSER_GUARD_MAX_CONNECTIONS, default 64).")
    var browserGuardMaxConnections: String?
    @Option(help: "Milliseconds a guard proxy connection may move nothing before it is closed (LENS_GPT_BROWSER_GUARD_IDLE_MS, default 60000).")
    var browserGuardIdleMs: String?
    @Option(help: "Visual matches read at most (LENS_GPT_LENS_MAX_MATCHES, default: the profile's extract.max_matches, 40 in the built-in one).")
    var maxMatches: String?
}

/// The browser pool and Lens runner that the options describe, or nil when no browser is
/// configured and none can be started.
struct LensSetup {
    let runner: LensRunner
    let pool: BrowserPool
    /// For the startup log: where sessions come from.
    let endpointDescription: String

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// `browserProxy`: the proxy behind the guard for every page the browser loads (the demo
    /// world's sites). `allowPrivate`: `--allow-private-fetch`, for the browser as for fetches.
    /// `proxyOnlyDomains`: domains the browser proxy alone can resolve (the demo world's `example`).
    static func make(_ options: LensOptions, dataDirectory: String, defaultPoolSize: Int = 2,
                     lensURL forcedURL: String? = nil, browserProxy: String? = nil, proxyOnlyDomains: Set<String> = [],
                     allowPrivate: Bool = false,
                     trustedURLs: [String] = []) throws -> LensSetup?
    {
        var profile: LensProfile
        do {
            if let path = Setting.string(options.lensProfile, env: "LENS_GPT_LENS_PROFILE") {
                profile = try LensProfile.load(path: path)
            } else {
                profile = try LensProfile.googleLens()
            }
        } catch {
            throw Failure(description: error.description)
        }
        if let url = forcedURL ?? Setting.string(options.lensUrl, env: "LENS_GPT_LENS_URL") { profile = profile.startingAt(url) }
        profile = profile.readingAtMost(try Setting.int(options.maxMatches, env: "LENS_GPT_LENS_MAX_MATCHES", default: profile.maxMatches, min: 1))

        var configuration = BrowserPoolConfiguration()
        configuration.size = try Setting.int(options.browserPoolSize, env: "LENS_GPT_BROWSER_POOL_SIZE", default: defaultPoolSize, min: 1)
        configuration.recycleAfter = try Setting.int(options.browserRecycleAfter, env: "LENS_GPT_BROWSER_RECYCLE_AFTER",
                                                     default: configuration.recycleAfter, min: 1)
        configuration.waitMillis = try Setting.int(options.browserWaitMs, env: "LENS_GPT_BROWSER_WAIT_MS",
                                                   default: configuration.waitMillis, min: 0)

        let language = Setting.string(options.language, env: "LENS_GPT_LANGUAGE", default: "en-US")
        guard !language.isEmpty, language.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || (0x30...0x39).contains($0)
            || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) else {
            throw Failure(description: "LENS_GPT_LANGUAGE (or --language) must be a language tag such as en-US, not \"\(language)\"")
        }
        let remoteURL = Setting.string(options.webdriverUrl, env: "LENS_GPT_WEBDRIVER_URL")
        let xvfb = try Setting.bool(options.xvfb, env: "LENS_GPT_XVFB")
        let modeText = Setting.string(options.browserMode, env: "LENS_GPT_BROWSER_MODE",
                                      default: remoteURL != nil || xvfb ? "headed" : "headless")
        guard let mode = BrowserMode(rawValue: modeText) else {
            throw Failure(description: "LENS_GPT_BROWSER_MODE (or --browser-mode) must be headed or headless, not \"\(modeText)\"")
        }
        if xvfb && remoteURL != nil { throw Failure(description: "--xvfb is for a local chromedriver; a WebDriver sidecar brings its own display") }
        if xvfb && mode == .headless { throw Failure(description: "--xvfb runs the browser headed; drop --browser-mode headless") }
        if mode == .headed && remoteURL == nil && !xvfb && Setting.environment("DISPLAY") == nil {
            throw Failure(description: "a headed browser needs a display: add --xvfb (Debian: apt-get install xvfb) or set DISPLAY")
        }
        configuration.derivesUserAgent = mode == .headless

        // The browser's traffic goes through the guard: the same address rule as page fetches.
        // The Lens start URL and the demo world are the operator's choice and always reachable.
        var guardConfiguration = BrowserGuardConfiguration()
        guardConfiguration.addresses = AddressPolicy(allowPrivate: allowPrivate)
        guardConfiguration.listenHost = Setting.string(options.browserGuardListen, env: "LENS_GPT_BROWSER_GUARD_LISTEN", default: "127.0.0.1")
        guardConfiguration.advertisedHost = Setting.string(options.browserGuardHost, env: "LENS_GPT_BROWSER_GUARD_HOST")
        guardConfiguration.maxConnections = try Setting.int(options.browserGuardMaxConnections, env: "LENS_GPT_BROWSER_GUARD_MAX_CONNECTIONS",
                                                            default: guardConfiguration.maxConnections, min: 1)
        guardConfiguration.idleTimeoutMillis = try Setting.int(options.browserGuardIdleMs, env: "LENS_GPT_BROWSER_GUARD_IDLE_MS",
                                                               default: guardConfiguration.idleTimeoutMillis, min: 1)
        // The Lens start page, the demo's proxy and a page the operator named (`lens-gpt search --url`)
        // are the operator's choice, not a third party's: the guard lets them through.
        guardConfiguration.trustedOrigins = Set(([profile.startURL, browserProxy] + trustedURLs.map(Optional.some))
            .compactMap { $0.flatMap(BrowserGuardConfiguration.origin(of:)) })
        guardConfiguration.upstreamProxy = browserProxy.flatMap(BrowserGuardConfiguration.origin(of:))
        guardConfiguration.upstreamOnlyDomains = proxyOnlyDomains
        let guardProxy: BrowserGuardProxy
        do {
            guardProxy = try BrowserGuardProxy(configuration: guardConfiguration)
        } catch {
            throw Failure(description: error.description)
        }

        let http = HTTPClient()
        let endpoint: BrowserEndpoint
        var description: String
        var display: XvfbProcess?
        if let url = remoteURL {
            endpoint = .remote(WebDriverClient(baseURL: url, http: http))
            configuration.capabilities = BrowserPoolConfiguration.chromium(mode: mode, language: language, proxy: guardProxy.url)
            description = "WebDriver at \(url)"
        } else {
            let named = Setting.string(options.chromedriver, env: "LENS_GPT_CHROMEDRIVER")
            guard let driver = ChromeDriverProcess.find(named ?? "chromedriver") else {
                guardProxy.shutdown()
                if let named { throw Failure(description: "chromedriver \(named) is not an executable") }
                return nil
            }
            let browser = ["chromium", "chromium-browser", "google-chrome"].lazy.compactMap { ChromeDriverProcess.find($0) }.first
            configuration.capabilities = BrowserPoolConfiguration.chromium(mode: mode, binary: browser, language: language,
                                                                           proxy: guardProxy.url)
            // Browsers and displays a crashed lens-gpt left behind (its lifeline normally takes them along).
            // The data directory may not exist yet (serve makes it later): logs and pid files go there now.
            LensSetup.makeDirectories(dataDirectory)
            let pidDirectory = dataDirectory + "/processes"
            StaleProcesses.clean(pidDirectory: pidDirectory)
            var environment: [String: String] = [:]
            if xvfb {
                do {
                    let started = try XvfbProcess(logPath: dataDirectory + "/xvfb.log", pidDirectory: pidDirectory)
                    environment["DISPLAY"] = started.display
                    display = started
                } catch {
                    guardProxy.shutdown()
                    throw Failure(description: error.description)
                }
            }
            endpoint = .local(ChromeDriverProcess(executable: driver, logPath: dataDirectory + "/chromedriver.log",
                                                  pidDirectory: pidDirectory, environment: environment), http)
            description = "\(driver) started here" + (browser.map { " with \($0)" } ?? "")
            if let display { description += " on Xvfb \(display.display)" }
        }
        description += ", \(mode.rawValue), \(language), through the guard proxy \(guardProxy.url)"
        var stopDisplay: (@Sendable () -> Void)?
        if let display { stopDisplay = { display.stop() } }
        let pool = BrowserPool(configuration: configuration, endpoint: endpoint, guardProxy: guardProxy, onShutdown: stopDisplay)
        let diagnostics = LensDiagnostics(
            directory: dataDirectory + "/diagnostics",
            maxFiles: try Setting.int(options.diagnosticsMaxFiles, env: "LENS_GPT_DIAGNOSTICS_MAX_FILES",
                                      default: LensDiagnostics.defaultMaxFiles),
            maxBytes: try Setting.bytes(options.diagnosticsMaxBytes, env: "LENS_GPT_DIAGNOSTICS_MAX_BYTES",
                                        default: LensDiagnostics.defaultMaxBytes))
        let runner = LensRunner(pool: pool, profile: profile, diagnostics: diagnostics)
        return LensSetup(runner: runner, pool: pool, endpointDescription: description)
    }
}

extension LensSetup {
    /// `mkdir -p`; failures show up when the files are opened.
    static func makeDirectories(_ path: String) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            mkdir(current, 0o755)
        }
    }
}

extension Setting {
    /// A flag, else its variable, else nil.
    static func string(_ flag: String?, env: String) -> String? { flag ?? environment(env) }
}
