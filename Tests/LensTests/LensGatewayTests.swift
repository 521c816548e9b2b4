import DemoWorld
import Dispatch
import Foundation
import Glibc
import JSON
import Outbound
import Producers
import Synchronization
import Testing

extension RealBrowser {
/// `POST /classify` with the Lens stage in the tree, a real browser behind it.
@Suite struct LensGatewayTests {
    let world: BrowserWorld

    init() throws { world = try BrowserWorld.get() }

    @Test func theStreamShowsLensMatchesAfterImageInfo() throws {
        let gateway = try world.gateway(runner: try world.runner())
        defer { gateway.shutdown(graceMillis: 0) }
        let watch = try #require(LensCatalog.product("chronograph"))
        let events = try Upload.classify(watch.photo, port: gateway.port)
        let names = events.map(\.name)
        let info = try #require(names.firstIndex(of: "image-info"))
        let lens = try #require(names.firstIndex(of: "lens-matches"))
        #expect(info < lens)
        #expect(names.last == "done")
        let envelope = try JSONParser.parse(events[lens].data)
        #expect(envelope["data_description"] == "lens-matches")
        let matches = envelope["data"]?.arrayValue ?? []
        #expect(matches.count == watch.matches.count)
        #expect(matches.first?["title"]?.stringValue == watch.matches.first?.title)
        #expect(matches.first?["domain"]?.stringValue == watch.matches.first?.domain)
        #expect(try JSONParser.parse(events.last?.data ?? "")["data"]?["status"] == "complete")

        let ready = try world.http.get("http://127.0.0.1:\(gateway.port)/readyz")
        #expect(try ready.json()["checks"]?["browser"]?["state"] == "ready")
        let samples = try world.http.get("http://127.0.0.1:\(gateway.port)/demo/samples.json").json()
        #expect(samples.arrayValue?.count == LensCatalog.products.count)
        #expect(samples[0]?["url"]?.stringValue?.hasPrefix("/demo/samples/") == true)
    }

    @Test func sixUploadsWithAPoolOfTwoAllComplete() throws {
        // Remote, so that shutting this pool down leaves the shared chromedriver running.
        let pool = BrowserWorld.makePool(size: 2, endpoint: .remote(WebDriverClient(baseURL: try world.driver.ensureRunning())))
        defer { pool.shutdown() }
        let gateway = try world.gateway(runner: try world.runner(pool: pool))
        defer { gateway.shutdown(graceMillis: 0) }
        let products = LensCatalog.products
        #expect(products.count >= 6)  // the six drawn products and the barcode sample
        let results = Mutex<[String: [StreamEvent]]>([:])
        DispatchQueue.concurrentPerform(iterations: products.count) { i in
            let events = (try? Upload.classify(products[i].photo, port: gateway.port)) ?? []
            results.withLock { $0[products[i].id] = events }
        }
        for product in products {
            let events = results.withLock { $0[product.id] } ?? []
            let lens = events.first { $0.name == "lens-matches" }
            #expect(lens != nil, "no lens-matches for \(product.id): \(events.map(\.name))")
            let first = try lens.map { try JSONParser.parse($0.data)["data"]?[0]?["title"]?.stringValue }
            #expect(first == product.matches.first?.title)
        }
        #expect(pool.liveSessions <= 2)
    }

    @Test func killingChromedriverMidRunGivesAnErrorAndTheNextRunAFreshSession() throws {
        let driver = world.ownDriver()
        defer { driver.stop() }
        let pool = BrowserWorld.makePool(size: 1, endpoint: .local(driver, world.http))
        defer { pool.shutdown() }
        let gateway = try world.gateway(runner: try world.runner(pool: pool))
        defer { gateway.shutdown(graceMillis: 0) }

        let searches = world.demo.stats.searches.load(ordering: .relaxed)
        let first = Mutex<[StreamEvent]?>(nil)
        let headphones = try #require(LensCatalog.product("headphones"))
        let port = gateway.port
        let upload = Thread { first.withLock { $0 = (try? Upload.classify(headphones.photo, port: port)) ?? [] } }
        upload.start()
        // The results page was asked for: the search is under way. Kill the driver now.
        #expect(waitFor { world.demo.stats.searches.load(ordering: .relaxed) > searches })
        let killed = try #require(driver.pid)
        kill(killed, SIGKILL)
        #expect(waitFor { first.withLock { $0 != nil } })
        let events = first.withLock { $0 } ?? []
        let error = try #require(events.first { $0.name == "stage-error" })
        let payload = try JSONParser.parse(error.data)["data"]
        #expect(payload?["stage"] == "lens-matches")
        #expect(payload?["code"] == "browser_unavailable")
        #expect(payload?["retryable"] == true)
        #expect(!events.contains { $0.name == "lens-matches" })

        let lamp = try #require(LensCatalog.product("desk-lamp"))
        let second = try Upload.classify(lamp.photo, port: gateway.port)
        #expect(second.contains { $0.name == "lens-matches" }, "\(second.map(\.name))")
        #expect(driver.pid != nil && driver.pid != killed)
    }
}
}
