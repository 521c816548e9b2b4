import Glibc
import ArgumentParser
import Outbound
import Producers

/// Browser and Lens settings shared by `serve` and `lens`.
struct LensOptions: ParsableArguments {
    @Flag(help: "Start Debian's Xvfb on a free display and run the local browser headed there (LENS_GPT_XVFB).") var xvfb = false
    @Option(help: "W3C WebDriver URL of a browser sidecar or Selenium Grid (LENS_GPT_WEBDRIVER_URL). Unset: start chromedriver here.") var webdriverUrl: String?
    @Option(help: "chromedriver to start when no WebDriver URL is set (LENS_GPT_CHROMEDRIVER, default: chromedriver on PATH).") var chromedriver: String?
    @Option(help: "Warm browser sessions (LENS_GPT_BROWSER_POOL_SIZE, default 2).") var browserPoolSize: String?
    @Option(help: "Uses after which a browser session is replaced (LENS_GPT_BROWSER_RECYCLE_AFTER, default 20).") var browserRecycleAfter: String?
    @Option(help: "Milliseconds a search may wait for a free browser session (LENS_GPT_BROWSER_WAIT_MS, default 30000).") var browserWaitMs: String?
    @Option(help: "Lens profile JSON file (LENS_GPT_LENS_PROFILE, default: the built-in Google Lens profile).") var lensProfile: String?
    @Option(help: "Start URL that replaces the profile's, e.g. the offline replica (LENS_GPT_LENS_URL).") var lensUrl: String?
    @Option(help: "Failure screenshots and page sources kept at most, as files (LENS_GPT_DIAGNOSTICS_MAX_FILES, default 200).") var diagnosticsMaxFiles: String?
    @Option(help: "Bytes of failure screenshots and page sources kept at most, e.g. 64MiB (LENS_GPT_DIAGNOSTICS_MAX_BYTES, default 64MiB).") var diagnosticsMaxBytes: String?
    @Option(help: "headed or headless (LENS_GPT_BROWSER_MODE; default headed with a WebDriver URL, whose sidecar has a display; headless for a local chromedriver unless --xvfb).") var browserMode: String?
    @Option(help: "Browser language, a BCP 47 tag such as en-US or de-CH, for navigator.language and Accept-Language (LENS_GPT_LANGUAGE, default en-US).") var language: String?
    @Option(help: "Address the browser's guard proxy listens on (LENS_GPT_BROWSER_GUARD_LISTEN, default 127.0.0.1; a sidecar browser needs one it can reach).") var browserGuardListen: String?
    @Option(help: "Host name the browser uses to reach the guard proxy (LENS_GPT_BROWSER_GUARD_HOST, default: the listen address).") var browserGuardHost: String?
    @Option(help: "Browser connections the guard proxy serves at once; more get 503 (LENS_GPT_BROWSER_GUARD_MAX_CONNECTIONS, default 64).") var browserGuardMaxConnections: String?
    @Option(help: "Milliseconds a guard proxy connection may move nothing before it is closed (LENS_GPT_BROWSER_GUARD_IDLE_MS, default 60000).") var browserGuardIdleMs: String?
    @Option(help: "Visual matches read at most (LENS_GPT_LENS_MAX_MATCHES, default: the profile's extract.max_matches, 40 in the built-in one).") var maxMatches: String?

    // Each number once: its variable, range and reading; `validate` checks them all when the
    // command line is parsed, `LensSetup.make` reads them.
    func matchLimit(default value: Int) throws -> Int { try Setting.int(maxMatches, env: "LENS_GPT_LENS_MAX_MATCHES", default: value, in: 1...1000) }
    func poolSize(default value: Int) throws -> Int { try Setting.int(browserPoolSize, env: "LENS_GPT_BROWSER_POOL_SIZE", default: value, in: 1...64) }
    func recycleAfter(default value: Int) throws -> Int { try Setting.int(browserRecycleAfter, env: "LENS_GPT_BROWSER_RECYCLE_AFTER", default: value, in: 1...1_000_000) }
    func waitMillis(default value: Int) throws -> Int { try Setting.int(browserWaitMs, env: "LENS_GPT_BROWSER_WAIT_MS", default: value, in: 0...600_000) }
    func guardMaxConnections(default value: Int) throws -> Int { try Setting.int(browserGuardMaxConnections, env: "LENS_GPT_BROWSER_GUARD_MAX_CONNECTIONS", default: value, in: 1...100_000) }
    func guardIdleMillis(default value: Int) throws -> Int { try Setting.int(browserGuardIdleMs, env: "LENS_GPT_BROWSER_GUARD_IDLE_MS", default: value, in: 1...3_600_000) }
    func diagnosticsFiles() throws -> Int { try Setting.int(diagnosticsMaxFiles, env: "LENS_GPT_DIAGNOSTICS_MAX_FILES", default: LensDiagnostics.defaultMaxFiles, in: 0...1_000_000) }
    func diagnosticsBytes() throws -> Int { try Setting.bytes(diagnosticsMaxBytes, env: "LENS_GPT_DIAGNOSTICS_MAX_BYTES", default: LensDiagnostics.defaultMaxBytes, in: 0...(1 << 40)) }

    func validate() throws {
        try Setting.validating {
            _ = try (matchLimit(default: 1), poolSize(default: 1), recycleAfter(default: 1), waitMillis(default: 0),
                     guardMaxConnections(default: 1), guardIdleMillis(default: 1), diagnosticsFiles(), diagnosticsBytes())
        }
    }
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
        let profile = try self.profile(options, startURL: forcedURL)
        var configuration = BrowserPoolConfiguration()
        configuration.size = try options.poolSize(default: defaultPoolSize)
        configuration.recycleAfter = try options.recycleAfter(default: configuration.recycleAfter)
        configuration.waitMillis = try options.waitMillis(default: configuration.waitMillis)
        let browser = try BrowserChoice(options)
        configuration.derivesUserAgent = browser.mode == .headless
        let diagnostics = LensDiagnostics(directory: dataDirectory + "/diagnostics",
                                          maxFiles: try options.diagnosticsFiles(), maxBytes: try options.diagnosticsBytes())

        // The Lens start page, the demo's proxy and a page the operator named (`lens-gpt search --url`)
        // are the operator's choice, not a third party's: the guard lets them through.
        let trusted = ([profile.startURL, browserProxy] + trustedURLs.map(Optional.some)).compactMap { $0 }
        let guardProxy = try self.guardProxy(options, allowPrivate: allowPrivate, trusted: trusted, upstream: browserProxy,
                                             upstreamOnlyDomains: proxyOnlyDomains)
        let http = HTTPClient()
        let endpoint: BrowserEndpoint
        var description: String
        var display: XvfbProcess?
        if let url = browser.remoteURL {
            endpoint = .remote(WebDriverClient(baseURL: url, http: http))
            configuration.capabilities = BrowserPoolConfiguration.chromium(mode: browser.mode, language: browser.language, proxy: guardProxy.url)
            description = "WebDriver at \(url)"
        } else {
            let local: LocalBrowser
            do {
                guard let started = try LocalBrowser.start(options, browser: browser, dataDirectory: dataDirectory) else {
                    guardProxy.shutdown()
                    return nil
                }
                local = started
            } catch {
                guardProxy.shutdown()
                throw error
            }
            configuration.capabilities = BrowserPoolConfiguration.chromium(mode: browser.mode, binary: local.browser, language: browser.language,
                                                                           proxy: guardProxy.url)
            endpoint = .local(local.driver, http)
            description = local.description
            display = local.display
        }
        description += ", \(browser.mode.rawValue), \(browser.language), through the guard proxy \(guardProxy.url)"
        var stopDisplay: (@Sendable () -> Void)?
        if let display { stopDisplay = { display.stop() } }
        let pool = BrowserPool(configuration: configuration, endpoint: endpoint, guardProxy: guardProxy, onShutdown: stopDisplay)
        let runner = LensRunner(pool: pool, profile: profile, diagnostics: diagnostics)
        return LensSetup(runner: runner, pool: pool, endpointDescription: description)
    }

    /// The Lens profile: a file, else the built-in Google Lens one; its start URL and match limit as set.
    static func profile(_ options: LensOptions, startURL forcedURL: String?) throws -> LensProfile {
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
        return profile.readingAtMost(try options.matchLimit(default: profile.maxMatches))
    }

    /// The guard every page the browser loads goes through: the same address rule as page fetches;
    /// `trusted` URLs (the operator's choice) always pass.
    static func guardProxy(_ options: LensOptions, allowPrivate: Bool, trusted: [String], upstream: String?,
                           upstreamOnlyDomains: Set<String>) throws -> BrowserGuardProxy
    {
        var configuration = BrowserGuardConfiguration()
        configuration.addresses = AddressPolicy(allowPrivate: allowPrivate)
        configuration.listenHost = Setting.string(options.browserGuardListen, env: "LENS_GPT_BROWSER_GUARD_LISTEN", default: "127.0.0.1")
        configuration.advertisedHost = Setting.string(options.browserGuardHost, env: "LENS_GPT_BROWSER_GUARD_HOST")
        configuration.maxConnections = try options.guardMaxConnections(default: configuration.maxConnections)
        configuration.idleTimeoutMillis = try options.guardIdleMillis(default: configuration.idleTimeoutMillis)
        configuration.trustedOrigins = Set(trusted.compactMap(BrowserGuardConfiguration.origin(of:)))
        configuration.upstreamProxy = upstream.flatMap(BrowserGuardConfiguration.origin(of:))
        configuration.upstreamOnlyDomains = upstreamOnlyDomains
        do {
            return try BrowserGuardProxy(configuration: configuration)
        } catch {
            throw Failure(description: error.description)
        }
    }
}

/// Which browser, how it shows pages and in which language: a sidecar at a WebDriver URL or a
/// local chromedriver, headed (on a display or Xvfb) or headless.
struct BrowserChoice {
    let language: String
    let mode: BrowserMode
    let remoteURL: String?
    let xvfb: Bool

    init(_ options: LensOptions) throws {
        language = Setting.string(options.language, env: "LENS_GPT_LANGUAGE", default: "en-US")
        guard !language.isEmpty, language.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || (0x30...0x39).contains($0)
            || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) else {
            throw LensSetup.Failure(description: "LENS_GPT_LANGUAGE (or --language) must be a language tag such as en-US, not \"\(language)\"")
        }
        remoteURL = Setting.string(options.webdriverUrl, env: "LENS_GPT_WEBDRIVER_URL")
        xvfb = try Setting.bool(options.xvfb, env: "LENS_GPT_XVFB")
        let modeText = Setting.string(options.browserMode, env: "LENS_GPT_BROWSER_MODE",
                                      default: remoteURL != nil || xvfb ? "headed" : "headless")
        guard let mode = BrowserMode(rawValue: modeText) else {
            throw LensSetup.Failure(description: "LENS_GPT_BROWSER_MODE (or --browser-mode) must be headed or headless, not \"\(modeText)\"")
        }
        self.mode = mode
        if xvfb && remoteURL != nil { throw LensSetup.Failure(description: "--xvfb is for a local chromedriver; a WebDriver sidecar brings its own display") }
        if xvfb && mode == .headless { throw LensSetup.Failure(description: "--xvfb runs the browser headed; drop --browser-mode headless") }
        if mode == .headed && remoteURL == nil && !xvfb && Setting.environment("DISPLAY") == nil {
            throw LensSetup.Failure(description: "a headed browser needs a display: add --xvfb (Debian: apt-get install xvfb) or set DISPLAY")
        }
    }
}

/// chromedriver started here, with the Chromium it finds and, with `--xvfb`, a virtual display.
struct LocalBrowser {
    let driver: ChromeDriverProcess
    let browser: String?
    let display: XvfbProcess?
    let description: String

    /// nil when no chromedriver is named and none is on PATH.
    static func start(_ options: LensOptions, browser choice: BrowserChoice, dataDirectory: String) throws -> LocalBrowser? {
        let named = Setting.string(options.chromedriver, env: "LENS_GPT_CHROMEDRIVER")
        guard let driver = ChromeDriverProcess.find(named ?? "chromedriver") else {
            if let named { throw LensSetup.Failure(description: "chromedriver \(named) is not an executable") }
            return nil
        }
        let browser = ["chromium", "chromium-browser", "google-chrome"].lazy.compactMap { ChromeDriverProcess.find($0) }.first
        // Browsers and displays a crashed lens-gpt left behind (its lifeline normally takes them along).
        // The data directory may not exist yet (serve makes it later): logs and pid files go there now.
        LensSetup.makeDirectories(dataDirectory)
        let pidDirectory = dataDirectory + "/processes"
        StaleProcesses.clean(pidDirectory: pidDirectory)
        var environment: [String: String] = [:]
        var display: XvfbProcess?
        if choice.xvfb {
            do {
                let started = try XvfbProcess(logPath: dataDirectory + "/xvfb.log", pidDirectory: pidDirectory)
                environment["DISPLAY"] = started.display
                display = started
            } catch {
                throw LensSetup.Failure(description: error.description)
            }
        }
        let process = ChromeDriverProcess(executable: driver, logPath: dataDirectory + "/chromedriver.log",
                                          pidDirectory: pidDirectory, environment: environment)
        var description = "\(driver) started here" + (browser.map { " with \($0)" } ?? "")
        if let display { description += " on Xvfb \(display.display)" }
        return LocalBrowser(driver: process, browser: browser, display: display, description: description)
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
