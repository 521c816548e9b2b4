import DemoWorld
import Foundation
import Gateway
import JSON
import Outbound
import Pipeline
@testable import Producers
import TestSupport
import Testing

/// Each provider alone against its replica, the signed photo URL, consent cookies, network
/// failures, the ECB rates.
@Suite(.serialized) struct ProviderPartsTests {
    /// A gateway that serves only the photo shelf, with the demo world's hosted replica.
    final class HostedRig {
        let world: DemoWorld
        let shelf: PhotoShelf
        let gateway: Gateway
        let directory = NSTemporaryDirectory() + "lens-gpt-hosted-" + UUID().uuidString

        init(lifetime: Int = 300) throws {
            try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
            world = try DemoWorld()
            shelf = PhotoShelf(publicBaseURL: "http://127.0.0.1", lifetimeSeconds: lifetime)
            gateway = try Gateway(settings: .loopback(directory: directory), graph: try PipelineGraph([]), photos: shelf)
            shelf.setPublicBaseURL("http://127.0.0.1:\(gateway.port)")
        }

        func provider(key: String = HostedLensReplica.apiKey, endpoint: String? = nil) -> HostedLensSearch {
            var configuration = HostedLensConfiguration(apiKey: key)
            configuration.endpoint = endpoint ?? world.hostedLensURL
            configuration.timeoutMillis = 10_000
            return HostedLensSearch(configuration: configuration, links: Links(shelf: shelf))
        }

        func query(_ productID: String, locale: RunLocale = .fallback) throws -> VisualQuery {
            let photo = try #require(LensCatalog.product(productID)?.photo)
            let path = directory + "/\(productID).png"
            _ = FileManager.default.createFile(atPath: path, contents: Data(photo))
            return VisualQuery(image: UploadedImage(id: String(repeating: "ab", count: 32), path: path, bytes: photo.count, locale: locale),
                               bytes: photo, format: "png")
        }

        func stop() {
            gateway.shutdown(graceMillis: 0)
            world.shutdown()
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    struct Links: PhotoLinks {
        let shelf: PhotoShelf
        func publish(_ image: UploadedImage, format: String) -> String { shelf.publish(id: image.id, path: image.path, format: format) }
        func withdraw(_ image: UploadedImage) { shelf.withdraw(id: image.id) }
    }

    @Test func theHostedProviderAloneSpeaksSerpApisShape() throws {
        let rig = try HostedRig()
        defer { rig.stop() }
        let result = try rig.provider().search(try rig.query("chronograph", locale: RunLocale(country: "JP", language: "ja")), timeoutMillis: 10_000)
        let watch = try #require(LensCatalog.product("chronograph"))
        #expect(result.matches.map(\.title) == watch.matches.map(\.title))
        #expect(result.matches.map(\.link) == watch.matches.map(\.link))
        #expect(result.matches.allSatisfy { $0.provider == "serpapi" })
        let priced = try #require(watch.matches.first { $0.price != nil })
        let read = try #require(result.matches.first { $0.link == priced.link })
        #expect(read.price == priced.price && read.currency == priced.currency)
        #expect(result.exactMatches.count == 2)
        #expect(result.knowledge.first?.title == "\(watch.brand) \(watch.name)")
        let request = try #require(rig.world.hostedLens.requests.last)
        #expect(request.hl == "ja" && request.country == "jp" && request.engine == "google_lens" && request.q == nil)
        #expect(request.photoStatus == 200)
    }

    @Test func theHostedProviderRefinesWithQ() throws {
        let rig = try HostedRig()
        defer { rig.stop() }
        rig.world.hostedLens.vagueWithoutQuery.store(true, ordering: .relaxed)
        var query = try rig.query("desk-lamp")
        query.text = "Nordlys Arc Desk Lamp"
        _ = try rig.provider().search(query, timeoutMillis: 10_000)
        #expect(rig.world.hostedLens.requests.last?.q == "Nordlys Arc Desk Lamp")
    }

    @Test func hostedFailuresHaveCodesAPersonCanActOn() throws {
        let rig = try HostedRig()
        defer { rig.stop() }
        #expect { try rig.provider(key: "wrong").search(try rig.query("desk-lamp"), timeoutMillis: 10_000) } throws: { error in
            (error as? VisualSearchFailure)?.code == "lens_api_unauthorized" && (error as? VisualSearchFailure)?.retryable == false
        }
        rig.world.faults.set(.lensAPIDown, true)
        #expect { try rig.provider().search(try rig.query("desk-lamp"), timeoutMillis: 10_000) } throws: { error in
            (error as? VisualSearchFailure)?.code == "lens_api_failed"
        }
        rig.world.faults.set(.lensAPIDown, false)
        // An unknown photo: SerpApi's "no results" answer.
        var unknown = try rig.query("desk-lamp")
        unknown.bytes = Array(unknown.bytes.reversed())
        _ = FileManager.default.createFile(atPath: unknown.image.path, contents: Data(unknown.bytes))
        #expect { try rig.provider().search(unknown, timeoutMillis: 10_000) } throws: { error in
            (error as? VisualSearchFailure)?.code == "lens_api_no_matches"
        }
        // Nothing listening: the network, not the API.
        let closed = try closedPort()
        #expect { try rig.provider(endpoint: "http://127.0.0.1:\(closed)/search.json").search(try rig.query("desk-lamp"), timeoutMillis: 5_000) } throws: { error in
            let failure = error as? VisualSearchFailure
            return failure?.code == "network_unavailable" && failure?.message.contains("Check this machine's network") == true
        }
    }

    @Test func photoURLsAreSignedShortLivedAndOnlyWhileASearchLasts() throws {
        let rig = try HostedRig(lifetime: 1)
        defer { rig.stop() }
        let query = try rig.query("desk-lamp")
        let url = rig.shelf.publish(id: query.image.id, path: query.image.path, format: "png")
        let good = try HTTPClient().get(url)
        #expect(good.status == 200 && good.body == query.bytes)
        #expect(good.header("Content-Type") == "image/png")
        // One changed character of the signature: 403.
        var tampered = url
        tampered.removeLast()
        tampered += url.hasSuffix("0") ? "1" : "0"
        #expect(try HTTPClient().get(tampered).status == 403)
        // No signature, another id with this signature: 403.
        #expect(try HTTPClient().get(String(url.prefix { $0 != "?" })).status == 403)
        #expect(try HTTPClient().get(url.replacingOccurrences(of: query.image.id, with: String(repeating: "cd", count: 32))).status == 403)
        // Expired: 403 (the lifetime is one second; wait until the clock has passed it).
        #expect(waitUntil(timeout: 5, every: 0.05) { (try? HTTPClient().get(url).status) == 403 })
        // Withdrawn, freshly signed: 404.
        rig.shelf.withdraw(id: query.image.id)
        let fresh = rig.shelf.publish(id: query.image.id, path: query.image.path, format: "png")
        rig.shelf.withdraw(id: query.image.id)
        #expect(try HTTPClient().get(fresh).status == 404)
    }

    @Test func ecbRatesParseAndRebase() throws {
        let xml = Array("""
        <gesmes:Envelope><Cube><Cube time="2026-11-27">
        <Cube currency="USD" rate="1.0500"/><Cube currency='JPY' rate='160.00'/><Cube currency="GBP" rate="0.8400"/>
        </Cube></Cube></gesmes:Envelope>
        """.utf8)
        let rates = try #require(ExchangeRates.parseECB(xml))
        #expect(rates.date == "2026-11-27")
        #expect(rates.perEuro == ["EUR": 1, "USD": 1.05, "JPY": 160, "GBP": 0.84])
        let inUSD = try #require(rates.rates(in: "USD"))
        #expect(abs((inUSD["EUR"] ?? 0) - 1.05) < 1e-9)
        #expect(abs((inUSD["JPY"] ?? 0) - 1.05 / 160) < 1e-12)
        #expect(rates.rates(in: "XXX") == nil)
        #expect(ExchangeRates.parseECB(Array("<html>not rates</html>".utf8)) == nil)
        #expect(CountryCurrency.code(for: "DE") == "EUR")
        #expect(CountryCurrency.code(for: "JP") == "JPY")
        #expect(CountryCurrency.code(for: "GB") == "GBP")
    }

    @Test func ratesAreFetchedCachedWithTheirDateAndUsedOffline() throws {
        let world = try DemoWorld()
        let directory = NSTemporaryDirectory() + "lens-gpt-rates-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cache = directory + "/exchange-rates.xml"
        let online = ExchangeRateSource(url: world.exchangeRatesURL, cachePath: cache, ratesFile: nil)
        let fetched = try #require(online.current())
        #expect(fetched.perEuro["USD"] == 1.08)
        #expect(FileManager.default.fileExists(atPath: cache))
        world.shutdown()
        // Offline: the cache, with its date.
        let offline = ExchangeRateSource(url: world.exchangeRatesURL, cachePath: cache, ratesFile: nil, timeoutMillis: 500)
        try offline.load()
        #expect(offline.current() == fetched)
        // A rates file wins; a bad one is refused at start.
        let file = directory + "/rates.xml"
        _ = FileManager.default.createFile(atPath: file, contents: Data("<Cube time='2026-01-02'><Cube currency='USD' rate='1.2'/></Cube>".utf8))
        let pinned = ExchangeRateSource(url: nil, cachePath: nil, ratesFile: file)
        try pinned.load()
        #expect(pinned.current()?.date == "2026-01-02")
        _ = FileManager.default.createFile(atPath: file, contents: Data("nonsense".utf8))
        #expect(throws: ExchangeRateSource.Invalid.self) { try ExchangeRateSource(url: nil, cachePath: nil, ratesFile: file).load() }
    }

    @Test func localesAreReadStrictly() {
        #expect(RunLocale.country(" de ") == "DE")
        #expect(RunLocale.country("Germany") == nil)
        #expect(RunLocale.language("pt_br") == "pt-BR")
        #expect(RunLocale.language("en-") == nil)
        #expect(RunLocale.acceptLanguage("fr-CH, fr;q=0.9, en;q=0.8, *;q=0.5")?.language == "fr-CH")
        #expect(RunLocale.acceptLanguage("en;q=0.2, de;q=0.9")?.language == "de")
        #expect(RunLocale.acceptLanguage("*") == nil)
        #expect(LensLocaleURL.apply("https://www.google.com/?olud&hl=en", RunLocale(country: "DE", language: "de")) == "https://www.google.com/?olud&hl=de&gl=de")
        #expect(LensLocaleURL.apply("http://127.0.0.1:9/", RunLocale(country: "US", language: "en")) == "http://127.0.0.1:9/?hl=en&gl=us")
    }

    @Test func cookieSettingsAreParsedStrictly() throws {
        let cookies = try BrowserCookie.parseList("SOCS=CAESEwgD; NID=511=abc")
        #expect(cookies == [BrowserCookie(name: "SOCS", value: "CAESEwgD"), BrowserCookie(name: "NID", value: "511=abc")])
        #expect(throws: BrowserCookie.Invalid.self) { try BrowserCookie.parseList("SOCS") }
        #expect(throws: BrowserCookie.Invalid.self) { try BrowserCookie.parseList("bad name=x") }
    }
}
