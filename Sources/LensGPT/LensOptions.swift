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

    /// `browserProxy`: a proxy for every page the browser loads (the demo world's sites).
    static func make(_ options: LensOptions, dataDirectory: String, defaultPoolSize: Int = 2,
                     lensURL forcedURL: String? = nil, browserProxy: String? = nil) throws -> LensSetup?
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

        let http = HTTPClient()
        let endpoint: BrowserEndpoint
        let description: String
        if let url = Setting.string(options.webdriverUrl, env: "LENS_GPT_WEBDRIVER_URL") {
            endpoint = .remote(WebDriverClient(baseURL: url, http: http))
            configuration.capabilities = BrowserPoolConfiguration.headlessChromium(proxy: browserProxy)
            description = "WebDriver at \(url)"
        } else {
            let named = Setting.string(options.chromedriver, env: "LENS_GPT_CHROMEDRIVER")
            guard let driver = ChromeDriverProcess.find(named ?? "chromedriver") else {
                if let named { throw Failure(description: "chromedriver \(named) is not an executable") }
                return nil
            }
            let browser = ["chromium", "chromium-browser", "google-chrome"].lazy.compactMap { ChromeDriverProcess.find($0) }.first
            configuration.capabilities = BrowserPoolConfiguration.headlessChromium(binary: browser, proxy: browserProxy)
            endpoint = .local(ChromeDriverProcess(executable: driver, logPath: dataDirectory + "/chromedriver.log"), http)
            description = "\(driver) started here" + (browser.map { " with \($0)" } ?? "")
        }
        let pool = BrowserPool(configuration: configuration, endpoint: endpoint)
        let runner = LensRunner(pool: pool, profile: profile, diagnosticsDirectory: dataDirectory + "/diagnostics")
        return LensSetup(runner: runner, pool: pool, endpointDescription: description)
    }
}

extension Setting {
    /// A flag, else its variable, else nil.
    static func string(_ flag: String?, env: String) -> String? { flag ?? environment(env) }
}
