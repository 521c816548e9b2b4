import Dispatch
import HTTP
import JSON
@testable import Outbound
import Synchronization
import Glibc
import TestSupport
import Testing

/// A WebDriver endpoint that creates numbered sessions and answers every command, so the
/// pool's bookkeeping can be tested without a browser.
final class FakeWebDriver: Sendable {
    final class Counts: Sendable {
        let created = Atomic(0)
        let deleted = Atomic(0)
        /// Sessions whose commands fail with `invalid session id` (their browser "crashed").
        let dead = Mutex<Set<String>>([])
        /// The page each session was last sent to.
        let pages = Mutex<[String: String]>([:])
    }

    let server: HTTPServer
    let counts = Counts()
    var url: String { "http://127.0.0.1:\(server.port)" }

    init() throws {
        let counts = counts
        server = try HTTPServer.loopback { head, body, writer in
            let parts = head.path.split(separator: "/")
            if head.method == "POST" && parts.count == 3 && parts[2] == "url",
               let url = (try? JSONParser.parse(body))?["url"]?.stringValue
            {
                counts.pages.withLock { $0[String(parts[1])] = url }
            }
            if head.method == "POST" && head.path == "/session" {
                let n = counts.created.add(1, ordering: .relaxed).newValue
                writer.send(.json(.ok, ["value": ["sessionId": .string("s\(n)"), "capabilities": [:]]]))
            } else if parts.count >= 2, counts.dead.withLock({ $0.contains(String(parts[1])) }) {
                writer.send(.json(.notFound, ["value": ["error": "invalid session id", "message": "crashed"]]))
            } else if head.method == "DELETE" && parts.count == 2 {
                counts.deleted.add(1, ordering: .relaxed)
                writer.send(.json(.ok, ["value": .null]))
            } else {
                writer.send(.json(.ok, ["value": "about:blank"]))
            }
        }
    }

    deinit { server.shutdown() }
}

@Suite struct BrowserPoolTests {
    func pool(_ driver: FakeWebDriver, size: Int = 1, recycleAfter: Int = 20, waitMillis: Int = 200) -> BrowserPool {
        var configuration = BrowserPoolConfiguration()
        configuration.size = size
        configuration.recycleAfter = recycleAfter
        configuration.waitMillis = waitMillis
        return BrowserPool(configuration: configuration, endpoint: .remote(WebDriverClient(baseURL: driver.url)))
    }

    @Test func aFullPoolMakesWaitersGiveUpWithAClearError() throws {
        let driver = try FakeWebDriver()
        let pool = pool(driver, size: 1, waitMillis: 150)
        let held = try pool.acquire()
        let started = ContinuousClock.now
        let error = #expect(throws: BrowserPoolError.self) { try pool.acquire() }
        #expect(error?.kind == .busy)
        #expect(error?.message.contains("busy") == true)
        #expect(ContinuousClock.now - started < .seconds(3))
        pool.release(held, healthy: true)
        let again = try pool.acquire()
        #expect(again.session.id == held.session.id)  // the same warm session, not a new one
        pool.release(again, healthy: true)
        #expect(driver.counts.created.load(ordering: .relaxed) == 1)
    }

    @Test func aWaiterGetsTheSessionWhenItIsReleased() throws {
        let driver = try FakeWebDriver()
        let pool = pool(driver, size: 1, waitMillis: 5_000)
        let held = try pool.acquire()
        // The waiter blocks, so it gets a Dispatch thread of its own rather than one of the few
        // cooperative threads the test runner shares between suites.
        let got = Mutex<String?>(nil)
        let finished = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let id = try? pool.withSession { $0.id }
            got.withLock { $0 = id }
            finished.signal()
        }
        #expect(waitFor { pool.waiting == 1 })
        pool.release(held, healthy: true)
        #expect(finished.wait(timeout: .now() + 10) == .success)
        #expect(got.withLock { $0 } == held.session.id)
    }

    @Test func sessionsAreRecycledAfterKUsesAndAfterAnyError() throws {
        let driver = try FakeWebDriver()
        let pool = pool(driver, size: 1, recycleAfter: 2)
        let first = try pool.withSession { $0.id }
        #expect(try pool.withSession { $0.id } == first)
        let third = try pool.withSession { $0.id }  // two uses: replaced
        #expect(third != first)
        struct Boom: Error {}
        #expect(throws: Boom.self) { try pool.withSession { _ in throw Boom() } }
        #expect(try pool.withSession { $0.id } != third)
        #expect(waitFor { driver.counts.deleted.load(ordering: .relaxed) >= 2 })
        #expect(pool.liveSessions <= 1)
    }

    @Test func aSessionComesBackFromThePoolOnABlankPage() throws {
        let driver = try FakeWebDriver()
        let pool = pool(driver, size: 1, waitMillis: 10_000)
        let lease = try pool.acquire()
        try lease.session.navigate(to: "http://www.ebay.example/itm/1000006001")
        pool.release(lease, healthy: true)
        let again = try pool.acquire()
        #expect(again.session.id == lease.session.id)
        #expect(driver.counts.pages.withLock { $0[again.session.id] } == BrowserPool.blankPage, "not on the last user's page")
        pool.release(again, healthy: true)
    }

    @Test func aSessionThatCannotBeResetIsReplaced() throws {
        let driver = try FakeWebDriver()
        let pool = pool(driver, size: 1, waitMillis: 10_000)
        let lease = try pool.acquire()
        driver.counts.dead.withLock { _ = $0.insert(lease.session.id) }
        pool.release(lease, healthy: true)
        let next = try pool.acquire()
        #expect(next.session.id != lease.session.id)
        pool.release(next, healthy: true)
        #expect(pool.liveSessions <= 1)
    }

    @Test func aDeadIdleSessionIsReplacedBeforeItIsHandedOut() throws {
        let driver = try FakeWebDriver()
        let pool = pool(driver, size: 1)
        let first = try pool.withSession { $0.id }
        driver.counts.dead.withLock { _ = $0.insert(first) }
        let second = try pool.withSession { $0.id }
        #expect(second != first)
        #expect(pool.browserState == .ready)
    }

    @Test func warmUpFillsThePoolAndReadinessFollowsIt() throws {
        let driver = try FakeWebDriver()
        let pool = pool(driver, size: 2)
        #expect(pool.browserState == .starting)
        pool.warmUp()
        #expect(waitFor { pool.idleSessions == 2 })
        #expect(pool.browserState == .ready)
        #expect(driver.counts.created.load(ordering: .relaxed) == 2)
        pool.shutdown()
        #expect(driver.counts.deleted.load(ordering: .relaxed) == 2)
        #expect(throws: BrowserPoolError.self) { try pool.acquire() }
    }

    @Test func anUnreachableDriverMakesTheBrowserUnavailable() throws {
        let driver = try FakeWebDriver()
        let url = driver.url
        driver.server.shutdown()
        var configuration = BrowserPoolConfiguration()
        configuration.size = 1
        let pool = BrowserPool(configuration: configuration, endpoint: .remote(WebDriverClient(baseURL: url, commandTimeoutMillis: 1_000)))
        let error = #expect(throws: BrowserPoolError.self) { try pool.acquire() }
        #expect(error?.kind == .unavailable)
        #expect(pool.browserState == .unavailable)
        // The permit came back: a second try fails the same way instead of waiting.
        #expect(throws: BrowserPoolError.self) { try pool.acquire(waitMillis: 0) }
    }
}

/// Waits for a condition with a deadline (polling, not sleeping as synchronisation).
func waitFor(timeout: Duration = .seconds(20), _ condition: () -> Bool) -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        usleepMillis(5)
    }
    return condition()
}

func usleepMillis(_ ms: Int) {
    var request = timespec(tv_sec: ms / 1_000, tv_nsec: (ms % 1_000) * 1_000_000)
    var left = timespec()
    nanosleep(&request, &left)
}
