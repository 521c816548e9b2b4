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
    public var capabilities: JSONValue = BrowserPoolConfiguration.headlessChromium()

    public init() {}

    /// Headless Chromium as public scrapers run it: an ordinary user agent, no automation flag,
    /// no sandbox (needed as root in containers), a desktop-sized window.
    /// `proxy`: every page the browser loads goes through it (the demo world serves its
    /// `.example` sites that way); loopback addresses stay direct.
    public static func headlessChromium(binary: String? = nil, userAgent: String = defaultUserAgent,
                                        language: String = "en-US", proxy: String? = nil) -> JSONValue
    {
        var args = [
            "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
            "--window-size=1366,900", "--disable-blink-features=AutomationControlled",
            "--user-agent=\(userAgent)", "--lang=\(language)", "--no-first-run", "--disable-extensions",
        ]
        if let proxy { args.append("--proxy-server=\(proxy)") }
        var options: JSONObject = [
            "args": .array(args.map(JSONValue.string)),
            "excludeSwitches": ["enable-automation"],
        ]
        if let binary { options["binary"] = .string(binary) }
        return [
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "unhandledPromptBehavior": "dismiss",
            "goog:chromeOptions": .object(options),
        ]
    }

    public static let defaultUserAgent =
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36"
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

    public init(configuration: BrowserPoolConfiguration, endpoint: BrowserEndpoint) {
        self.configuration = configuration
        self.endpoint = endpoint
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
    public func withSession<T>(waitMillis: Int? = nil, _ body: (WebDriverSession) throws -> T) throws -> T {
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

    /// Gives a session back. Unhealthy or worn-out sessions are replaced in the background.
    public func release(_ lease: BrowserLease, healthy: Bool) {
        var entry = lease.entry
        entry.uses += 1
        let keep = healthy && entry.uses < configuration.recycleAfter
        let shutDown = state.withLock { s -> Bool in
            if keep && !s.shutDown { s.idle.append(entry) }
            return s.shutDown
        }
        if !keep || shutDown {
            discard(entry.session)
            permits.signal()
            if !shutDown { replenish() }
        } else {
            permits.signal()
        }
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
    }

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
            let session = try endpoint.client().newSession(capabilities: configuration.capabilities,
                                                           timeoutMillis: configuration.sessionStartMillis)
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
