import Dispatch
import Foundation
import Glibc
import Synchronization
import TestSupport
import Testing
@testable import Gateway
import Pipeline

/// The store never runs on a loop thread, and a save that fails is never silent.
@Suite(.serialized) struct StoreOffLoopTests {
    @Test func healthzAnswersWithin50msWhileTheStoreIsBlocked() throws {
        let directory = NSTemporaryDirectory() + "lens-gpt-blocked-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = BlockingStore(try SQLiteResultStore(path: directory + "/results.sqlite"))
        // One loop: were any store call made on it, /healthz would wait behind that call.
        let server = try TestServer(store: store) { $0.http.loopCount = 1 }
        defer {
            store.release()
            server.stop()
        }
        let image = TestImages.png(width: 6, height: 6)
        let sha = TestImages.sha256Hex(image)
        store.block()
        // An upload, a result lookup and a readiness probe, each stuck in the store.
        let upload = try server.client()
        try upload.send(Multipart.request(path: "/classify", fileBytes: image))
        let lookup = try server.client()
        try lookup.send("GET /results/\(sha) HTTP/1.1\r\nHost: t\r\n\r\n")
        let ready = try server.client()
        try ready.send("GET /readyz HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(waitUntil { store.blockedCalls >= 1 })

        let probe = try server.client()
        var times: [Double] = []
        for _ in 0..<10 {
            let start = TestClient.now()
            try probe.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try probe.readResponse(timeout: 5)
            times.append((TestClient.now() - start) * 1000)
            #expect(response.status == 200)
        }
        // Every probe answered; on this shared 2-core machine one scheduling hiccup is allowed.
        #expect(times.filter { $0 < 50 }.count >= 9, "healthz times (ms): \(times)")
        #expect(store.blockedCalls >= 1)  // still blocked while the probes were answered

        store.release()
        let streamed = try upload.readResponse(timeout: 20)
        #expect(SSE.parse(streamed.bodyText).last?.event == "done")
        #expect(try ready.readResponse(timeout: 10).status == 200)
        #expect([200, 404].contains(try lookup.readResponse(timeout: 10).status))
    }

    @Test func aFailedSaveShowsInDoneAndMetricsAndTheNextUploadRunsAgain() throws {
        let directory = NSTemporaryDirectory() + "lens-gpt-fullDisk-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = SaveFailingStore(try SQLiteResultStore(path: directory + "/results.sqlite"))
        let counting = CountingProducer()
        let server = try TestServer(graph: TestGraphs.imageInfo(then: counting), store: store)
        defer { server.stop() }
        let image = TestImages.png(width: 7, height: 7)
        let response = try server.classify(image)
        let done = try #require(SSE.parse(response.bodyText).last)
        #expect(done.event == "done")
        #expect(done.data.contains(#""status":"complete""#))
        #expect(done.data.contains(#""stored":false"#))
        let metrics = try server.get("/metrics").bodyText
        #expect(metrics.contains("lens_gpt_store_failures_total 1\n"), "\(metrics)")
        // Not kept: a new upload of the same photo runs again (and is saved this time).
        store.failing.store(false, ordering: .relaxed)
        let again = try server.classify(image)
        #expect(SSE.parse(again.bodyText).last?.data.contains(#""stored":true"#) == true)
        #expect(counting.calls.load(ordering: .relaxed) == 2)
    }

    @Test func aSavedResultSaysStoredTrue() throws {
        let server = try TestServer()
        defer { server.stop() }
        let response = try server.classify(TestImages.png(width: 3, height: 9))
        #expect(SSE.parse(response.bodyText).last?.data.contains(#""status":"complete","#) == true)
        #expect(SSE.parse(response.bodyText).last?.data.contains(#""stored":true"#) == true)
        #expect(try server.get("/metrics").bodyText.contains("lens_gpt_store_failures_total 0\n"))
    }
}

/// A SQLite store whose every call can be made to wait (a disk that stalls).
final class BlockingStore: ResultStore {
    private let inner: SQLiteResultStore
    private let gate = Mutex(false)
    private let entered = Atomic<Int>(0)
    var blockedCalls: Int { entered.load(ordering: .relaxed) }

    init(_ inner: SQLiteResultStore) { self.inner = inner }

    func block() { gate.withLock { $0 = true } }
    func release() { gate.withLock { $0 = false } }

    private func pass() {
        guard gate.withLock({ $0 }) else { return }
        entered.add(1, ordering: .relaxed)
        // The store's own thread waits here: polling a test flag, bounded by the deadline.
        waitUntil(timeout: 30, every: 0.001) { !gate.withLock { $0 } }
        entered.subtract(1, ordering: .relaxed)
    }

    func load(id: String) throws -> (status: ResultStatus, events: [ResultEvent])? { pass(); return try inner.load(id: id) }
    func markRunning(id: String) throws { pass(); try inner.markRunning(id: id) }
    func save(id: String, status: ResultStatus, events: [ResultEvent]) throws { pass(); try inner.save(id: id, status: status, events: events) }
    func removeInterrupted() throws -> Int { try inner.removeInterrupted() }
    func purge(olderThanSeconds seconds: Int64) throws -> Int { try inner.purge(olderThanSeconds: seconds) }
    func check() throws { pass(); try inner.check() }
}

/// A SQLite store whose saves fail while `failing` is set (a full disk).
final class SaveFailingStore: ResultStore {
    private let inner: SQLiteResultStore
    let failing = Atomic<Bool>(true)
    struct DiskFull: Error, CustomStringConvertible { var description: String { "database or disk is full" } }

    init(_ inner: SQLiteResultStore) { self.inner = inner }

    func load(id: String) throws -> (status: ResultStatus, events: [ResultEvent])? { try inner.load(id: id) }
    func markRunning(id: String) throws { try inner.markRunning(id: id) }
    func save(id: String, status: ResultStatus, events: [ResultEvent]) throws {
        if failing.load(ordering: .relaxed) { throw DiskFull() }
        try inner.save(id: id, status: status, events: events)
    }
    func removeInterrupted() throws -> Int { try inner.removeInterrupted() }
    func purge(olderThanSeconds seconds: Int64) throws -> Int { try inner.purge(olderThanSeconds: seconds) }
    func check() throws { try inner.check() }
}
