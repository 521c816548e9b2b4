import Dispatch
import JSON
import Synchronization

/// Limits and browser options of the pool.
public struct BrowserPoolConfiguration: Sendable {
    /// Sessions kept warm, and the most that exist at once.
    public var size = 2
    /// A session is replaced after this many uses (browsers grow and drift over time).
    public var recycleAfter = 20
    /// How long a request may wait for a free session before `browser_unavailable`.
    public var waitMillis = 30_000
    /// Time allowed to create one session (starting a browser).
    public var sessionStartMillis = 60_000
    /// `alwaysMatch` capabilities of new sessions.
    public var capabilities: JSONValue = BrowserPoolConfiguration.chromium()
    /// Headless Chromium names itself `HeadlessChrome` in its user agent: the pool then reads the
    /// browser's own user agent from a first session and starts every session with that string,
    /// `Headless` removed, so `User-Agent`, `sec-ch-ua` and `navigator.userAgentData` name the
    /// same browser and version (no version is written down anywhere). Off for headed browsers,
    /// whose own user agent is already right.
    public var derivesUserAgent = true

    public init() {}

    /// Chromium as people run it, headed (on a real or virtual display) or headless: no
    /// automation flag, no sandbox (needed as root in containers), a desktop-sized window, the
    /// language `language` (a BCP 47 tag) for `navigator.language` and `Accept-Language`.
    /// `proxy`: every page the browser loads goes through it, loopback included (the guard
    /// proxy; in the demo it forwards to the demo world's `.example` web).
    /// `userAgent`: only to replace a headless browser's own (see `derivesUserAgent`).
    public static func chromium(mode: BrowserMode = .headless, binary: String? = nil, language: String = "en-US",
                                proxy: String? = nil, userAgent: String? = nil) -> JSONValue
    {
        var args = [
            "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,900",
            "--disable-blink-features=AutomationControlled", "--lang=\(language)", "--no-first-run", "--disable-extensions",
        ]
        // Headless has no screen and reports 800×600, smaller than its own window: give it a
        // desktop's, as Xvfb gives the headed browser.
        if mode == .headless { args += ["--headless=new", "--disable-gpu", "--screen-info={1920x1080}"] }
        if let userAgent { args.append("--user-agent=\(userAgent)") }
        // `<-loopback>` removes Chromium's built-in exemption of loopback: a redirect to
        // 127.0.0.1 must meet the guard too.
        if let proxy { args += ["--proxy-server=\(proxy)", "--proxy-bypass-list=<-loopback>"] }
        var options: JSONObject = [
            "args": .array(args.map(JSONValue.string)),
            "excludeSwitches": ["enable-automation"],
            "prefs": ["intl.accept_languages": .string(acceptLanguages(language))],
        ]
        if let binary { options["binary"] = .string(binary) }
        return [
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "unhandledPromptBehavior": "dismiss",
            "goog:chromeOptions": .object(options),
        ]
    }

    /// Headless Chromium (the tests' default).
    public static func headlessChromium(binary: String? = nil, language: String = "en-US", proxy: String? = nil) -> JSONValue {
        chromium(mode: .headless, binary: binary, language: language, proxy: proxy)
    }

    /// `de-CH` → `de-CH,de`: the tag, then its language alone, as browsers send by default.
    public static func acceptLanguages(_ language: String) -> String {
        let base = language.split(separator: "-").first.map(String.init) ?? language
        return base == language ? language : "\(language),\(base)"
    }

    /// The capabilities with `--user-agent` set (replacing one already there).
    public static func withUserAgent(_ capabilities: JSONValue, _ userAgent: String) -> JSONValue {
        guard var root = capabilities.objectValue, var options = root["goog:chromeOptions"]?.objectValue else { return capabilities }
        var args = (options["args"]?.arrayValue ?? []).filter { $0.stringValue?.hasPrefix("--user-agent=") != true }
        args.append(.string("--user-agent=\(userAgent)"))
        options["args"] = .array(args)
        root["goog:chromeOptions"] = .object(options)
        return .object(root)
    }

    /// A headless browser's own user agent with the `Headless` marker removed (nil: nothing to change).
    public static func unheadless(_ userAgent: String) -> String? {
        guard userAgent.contains("HeadlessChrome/") else { return nil }
        return userAgent.replacingAll("HeadlessChrome/", with: "Chrome/")
    }
}

/// `--browser-mode`: a headed browser (on a display: the sidecar's, or Xvfb's) is shown bot
/// checks far less often; headless needs no display.
public enum BrowserMode: String, Sendable {
    case headed, headless
}

/// What `/readyz` reports for the browser.
public enum BrowserState: String, Sendable {
    case ready, starting, unavailable
    case notConfigured = "not_configured"
}

/// The pool could not hand out a session.
public struct BrowserPoolError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable { case busy, unavailable, shutDown }
    public let kind: Kind
    public let message: String
    public var description: String { message }
}

/// N warm browser sessions. A request takes one (waiting at most `waitMillis`, then a clear
/// error instead of a deadlock), uses it alone, and gives it back; a session that saw any error,
/// or was used `recycleAfter` times, is deleted and replaced in the background.
public final class BrowserPool: Sendable {
    public let configuration: BrowserPoolConfiguration
    public let endpoint: BrowserEndpoint
    /// One permit per session that may exist; holding a permit is the right to use (or create) one.
    private let permits: DispatchSemaphore
    private let state = Mutex(PoolState())
    private let background = DispatchQueue(label: "lens-gpt.browser-pool", attributes: .concurrent)
    private let waiters = Atomic(0)
    /// The guard proxy the browser's traffic goes through, stopped with the pool.
    public let guardProxy: BrowserGuardProxy?
    private let onShutdown: (@Sendable () -> Void)?
    /// The user agent derived from the browser itself (see `derivesUserAgent`); nil until known,
    /// "" when the browser's own needs no change.
    private let derivedUserAgent = Mutex<String?>(nil)

    struct Entry {
        let session: WebDriverSession
        var uses: Int
    }

    struct PoolState {
        var idle: [Entry] = []
        /// Sessions that exist or are being created (idle + leased + starting).
        var live = 0
        var starting = 0
        var lastFailure: String?
        var everReady = false
        var shutDown = false
    }

    /// `onShutdown`: stops what else the browser needs (a virtual display).
    public init(configuration: BrowserPoolConfiguration, endpoint: BrowserEndpoint, guardProxy: BrowserGuardProxy? = nil,
                onShutdown: (@Sendable () -> Void)? = nil)
    {
        self.configuration = configuration
        self.endpoint = endpoint
        self.guardProxy = guardProxy
        self.onShutdown = onShutdown
        permits = DispatchSemaphore(value: max(1, configuration.size))
    }

    /// Starts filling the pool in the background; requests do not wait for it to finish.
    public func warmUp() {
        for _ in 0..<max(1, configuration.size) { replenish() }
    }

    public var browserState: BrowserState {
        state.withLock { s in
            if !s.idle.isEmpty || s.live > s.starting { return .ready }
            if s.starting > 0 { return .starting }
            if s.lastFailure != nil { return .unavailable }
            return s.everReady ? .ready : .starting
        }
    }

    /// Sessions that exist now (for metrics and tests).
    public var liveSessions: Int { state.withLock { $0.live } }
    public var idleSessions: Int { state.withLock { $0.idle.count } }
    /// Requests waiting for a free session now.
    public var waiting: Int { waiters.load(ordering: .relaxed) }

    /// Runs `body` with a session of its own. If `body` throws, the session is recycled.
    /// (The pool's tests' shorthand for `acquire` and `release`; production code leases.)
    func withSession<T>(waitMillis: Int? = nil, _ body: (WebDriverSession) throws -> T) throws -> T {
        let lease = try acquire(waitMillis: waitMillis)
        do {
            let value = try body(lease.session)
            release(lease, healthy: true)
            return value
        } catch {
            release(lease, healthy: false)
            throw error
        }
    }

    /// A session of its own for the caller, who must `release` it.
    public func acquire(waitMillis: Int? = nil) throws(BrowserPoolError) -> BrowserLease {
        let wait = waitMillis ?? configuration.waitMillis
        guard !state.withLock({ $0.shutDown }) else {
            throw BrowserPoolError(kind: .shutDown, message: "the browser pool is shut down")
        }
        waiters.add(1, ordering: .relaxed)
        let granted = permits.wait(timeout: .now() + .milliseconds(max(0, wait)))
        waiters.subtract(1, ordering: .relaxed)
        guard granted == .success else {
            throw BrowserPoolError(kind: .busy, message: "all \(configuration.size) browser sessions stayed busy for \(wait) ms")
        }
        while let entry = state.withLock({ $0.idle.popLast() }) {
            // A session idle in the pool may have lost its browser (crash, driver restart).
            if (try? entry.session.currentURL()) != nil { return BrowserLease(entry: entry) }
            discard(entry.session)
        }
        state.withLock { $0.live += 1; $0.starting += 1 }
        do {
            let session = try createSession()
            return BrowserLease(entry: Entry(session: session, uses: 0))
        } catch {
            state.withLock { $0.live -= 1 }
            permits.signal()
            throw BrowserPoolError(kind: .unavailable, message: "no browser session: \(error.message)")
        }
    }

    /// The page a session is left on between uses.
    public static let blankPage = "about:blank"

    /// Gives a session back. Unhealthy or worn-out sessions are replaced in the background. A
    /// kept one is first taken to a blank page, so the next user finds it in a known state: not
    /// on the last user's page, with that page's timers and pending loads stopped (one that
    /// cannot get there is replaced).
    public func release(_ lease: BrowserLease, healthy: Bool) {
        var entry = lease.entry
        entry.uses += 1
        guard healthy && entry.uses < configuration.recycleAfter, !state.withLock({ $0.shutDown }),
              (try? entry.session.navigate(to: BrowserPool.blankPage)) != nil
        else {
            retire(entry.session)
            return
        }
        let shutDown = state.withLock { s -> Bool in
            if !s.shutDown { s.idle.append(entry) }
            return s.shutDown
        }
        if shutDown { discard(entry.session) }
        permits.signal()
    }

    /// Deletes a session that is not to be used again and, unless the pool is shut down, starts its replacement.
    private func retire(_ session: WebDriverSession) {
        discard(session)
        permits.signal()
        if !state.withLock({ $0.shutDown }) { replenish() }
    }

    /// Deletes every session and stops a chromedriver this process started.
    public func shutdown() {
        let idle = state.withLock { s -> [Entry] in
            s.shutDown = true
            defer { s.idle.removeAll() }
            return s.idle
        }
        for entry in idle { try? entry.session.delete(timeoutMillis: 3_000) }
        endpoint.shutdown()
        guardProxy?.shutdown()
        onShutdown?()
    }

    /// The user agent sessions start with, when the pool replaces the browser's own.
    public var userAgent: String? { derivedUserAgent.withLock { $0.flatMap { $0.isEmpty ? nil : $0 } } }

    /// Creates a session in the background if there is room for one more.
    private func replenish() {
        background.async { [self] in
            guard permits.wait(timeout: .now() + .milliseconds(configuration.waitMillis)) == .success else { return }
            defer { permits.signal() }
            let start = state.withLock { s -> Bool in
                guard !s.shutDown, s.live < configuration.size else { return false }
                s.live += 1
                s.starting += 1
                return true
            }
            guard start else { return }
            do {
                let session = try createSession()
                let stale = state.withLock { s -> Bool in
                    if s.shutDown { s.live -= 1; return true }
                    s.idle.append(Entry(session: session, uses: 0))
                    return false
                }
                if stale { try? session.delete(timeoutMillis: 3_000) }
            } catch {
                state.withLock { $0.live -= 1 }
            }
        }
    }

    private func createSession() throws(WebDriverError) -> WebDriverSession {
        do {
            let session = try startSession()
            state.withLock { s in
                s.starting -= 1
                s.everReady = true
                s.lastFailure = nil
            }
            return session
        } catch {
            state.withLock { s in
                s.starting -= 1
                s.lastFailure = error.description
            }
            throw error
        }
    }

    /// A new session; the first one of a pool that derives its user agent asks the browser for
    /// its own and, when it says `HeadlessChrome`, is replaced by one started with the fixed string.
    private func startSession() throws(WebDriverError) -> WebDriverSession {
        let client = try endpoint.client()
        var capabilities = configuration.capabilities
        if configuration.derivesUserAgent {
            switch derivedUserAgent.withLock({ $0 }) {
            case .some(let known):
                if !known.isEmpty { capabilities = BrowserPoolConfiguration.withUserAgent(capabilities, known) }
            case .none:
                let probe = try client.newSession(capabilities: capabilities, timeoutMillis: configuration.sessionStartMillis)
                let own: String
                do {
                    own = try probe.execute("return navigator.userAgent;").stringValue ?? ""
                } catch {
                    try? probe.delete(timeoutMillis: 3_000)
                    throw error
                }
                guard let fixed = BrowserPoolConfiguration.unheadless(own) else {
                    derivedUserAgent.withLock { $0 = "" }
                    return probe
                }
                derivedUserAgent.withLock { $0 = fixed }
                try? probe.delete(timeoutMillis: 3_000)
                capabilities = BrowserPoolConfiguration.withUserAgent(capabilities, fixed)
            }
        }
        return try client.newSession(capabilities: capabilities, timeoutMillis: configuration.sessionStartMillis)
    }

    private func discard(_ session: WebDriverSession) {
        state.withLock { $0.live -= 1 }
        background.async { try? session.delete(timeoutMillis: 5_000) }
    }
}

/// A session lent to one caller.
public struct BrowserLease: Sendable {
    let entry: BrowserPool.Entry
    public var session: WebDriverSession { entry.session }
    /// Earlier uses of this session.
    public var uses: Int { entry.uses }
}
