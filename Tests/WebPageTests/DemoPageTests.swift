import DemoWorld
import Foundation
import JSON
@testable import Outbound
import Testing

/// The demo page in real headless Chromium, driven by our WebDriver client, uses the page
/// that `lens-gpt serve --demo` serves, and what it shows is checked against the demo catalog.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: DemoServer.binary) && ChromeDriverProcess.find() != nil,
                             "needs .build/debug/lens-gpt and chromedriver (scripts/deps test installs chromium and chromium-driver)"))
struct DemoPageTests {
    static let artifacts = DemoServer.root.appendingPathComponent(".build/test-artifacts")
    static let productID = "desk-lamp"

    @Test(.timeLimit(.minutes(3)))
    func aSamplePhotoFillsEveryCardAndBadFilesAreRefused() throws {
        let server = try DemoServer()
        defer { server.stop() }
        let browser = try PageBrowser(directory: server.directory, width: 1200, height: 1960)
        defer { browser.stop() }
        let page = browser.session
        let entry = try #require(ShopCatalog.entry(DemoPageTests.productID))
        let product = try #require(LensCatalog.product(DemoPageTests.productID))

        try page.navigate(to: server.baseURL + "/")
        // The catalog's sample photos are offered.
        let samples = try browser.waitFor("the sample list") {
            let names = try page.execute("return [...document.querySelectorAll('#sample-list .sample')].map(b => b.textContent)")
                .arrayValue?.compactMap(\.stringValue) ?? []
            return names.count == LensCatalog.products.count ? names : nil
        }
        #expect(samples == LensCatalog.products.map { "\($0.brand) \($0.name)" })

        // Refusals: a 30 MiB file by the page's own size check, a text file named .png by the server (415).
        let input = try page.findElement(css: "#file")
        let big = server.directory + "/big-photo.png"
        try Data(count: 30 * 1024 * 1024).write(to: URL(fileURLWithPath: big))
        try page.sendKeys(input, big)
        let tooBig = try browser.waitFor("the size refusal") { try browser.visibleRefusal().flatMap { $0.contains("big-photo.png") ? $0 : nil } }
        #expect(tooBig.contains("30.0 MiB") && tooBig.contains("20 MiB"), "\(tooBig)")
        let text = server.directory + "/notes.png"
        try Data("a shopping list, not a photo\n".utf8).write(to: URL(fileURLWithPath: text))
        try page.sendKeys(input, text)
        let notImage = try browser.waitFor("the server's 415 message") { try browser.visibleRefusal().flatMap { $0.contains("notes.png") ? $0 : nil } }
        #expect(notImage.contains("not a PNG, JPEG or WebP image"), "\(notImage)")
        #expect(try page.execute("return document.querySelector('#result').hidden") == true, "a refused file started a result")

        // A sample photo through the file input; every card arrives.
        let photo = server.directory + "/\(DemoPageTests.productID).png"
        try Data(product.photo).write(to: URL(fileURLWithPath: photo))
        try page.sendKeys(input, photo)
        _ = try browser.waitForResult(cards: 6, timeout: 120)
        #expect(try browser.visibleRefusal() == nil, "the refusal stayed after a good upload")
        // Every thumbnail and the retail image load (from the gateway: Lens thumbnails at
        // /results/{id}/thumbnails/{n}, shop images under /demo/web/).
        let shown = try browser.waitFor("the cards' images to load", timeout: 30) {
            let shown = try page.execute(PageBrowser.readCards)
            let images = shown["images"]?.arrayValue ?? []
            return images.allSatisfy({ $0["done"] == true }) ? shown : JSONValue?.none
        }
        expectCatalogValues(shown, entry, gateway: server.baseURL)
        let images = shown["images"]?.arrayValue ?? []
        for image in images {
            #expect((image["width"]?.intValue ?? 0) > 0, "an image did not load: \(image)")
        }
        let sources = images.compactMap { $0["src"]?.stringValue }
        let matchImages = images.filter { $0["where"] == "lens-matches" }.compactMap { $0["src"]?.stringValue }
        #expect(matchImages.count == product.matches.count, "\(matchImages.count) match thumbnails")
        #expect(matchImages.allSatisfy { $0.contains("/thumbnails/") && $0.hasPrefix(server.baseURL + "/results/") }, "\(matchImages)")
        #expect(images.contains { $0["where"] == "retail-price-details" && ($0["width"]?.intValue ?? 0) > 0 }, "no retail image: \(sources)")
        let offerImages = images.filter { $0["where"] == "second-hand-offers" }
        #expect(!offerImages.isEmpty && offerImages.allSatisfy { $0["src"]?.stringValue?.hasPrefix(server.baseURL + "/demo/web/") == true },
                "\(offerImages)")
        #expect(!sources.contains { $0.hasPrefix("data:") }, "inline thumbnails are back")

        // The screenshot of the filled-in page, for people (the README's copy is docs/demo-page.png),
        // with the visual matches open (their thumbnails), once the cards' fade-in has ended.
        _ = try page.execute("document.querySelector('details.matches').open = true; return true")
        _ = try browser.waitFor("the cards' animations to end") {
            try page.execute("return document.getAnimations().length === 0") == true ? true : nil
        }
        // Full length: the viewport is made as tall as the page before the shot (headless
        // Chromium keeps its window within the screen, so through the DevTools protocol).
        let height = try page.execute("return Math.ceil(document.documentElement.scrollHeight)").intValue ?? 1960
        _ = try page.client.command("POST", "/session/\(page.id)/goog/cdp/execute", [
            "cmd": "Emulation.setDeviceMetricsOverride",
            "params": ["width": 1200, "height": .int(height), "deviceScaleFactor": 1, "mobile": false],
        ])
        _ = try browser.waitFor("the window to be as tall as the page") {
            try page.execute("return window.innerHeight >= document.documentElement.scrollHeight - 1") == true ? true : nil
        }
        try FileManager.default.createDirectory(at: DemoPageTests.artifacts, withIntermediateDirectories: true)
        let screenshot = try page.screenshot()
        #expect(screenshot.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        try Data(screenshot).write(to: DemoPageTests.artifacts.appendingPathComponent("demo-page.png"))

        // Kept in the recent results, and reopened by id: the replay fills the same cards once.
        let hash = try page.execute("return location.hash").stringValue ?? ""
        let id = String(hash.dropFirst("#result=".count))
        #expect(id.count == 64, "no result id in the address: \(hash)")
        let recent = try page.execute("return JSON.parse(localStorage.getItem('lens-gpt.recents'))[0]")
        #expect(recent["id"]?.stringValue == id)
        #expect(recent["status"]?.stringValue == "complete")
        #expect(recent["name"]?.stringValue == "\(DemoPageTests.productID).png")
        try page.navigate(to: server.baseURL + "/?reopened#result=\(id)")
        let replayed = try browser.waitForResult(cards: 6, timeout: 30)
        expectCatalogValues(replayed, entry, gateway: server.baseURL)
        #expect(try page.execute("return document.querySelectorAll('#recent-list .recent').length") == 1)
        // Reopened here, the result shows the photo (a small copy kept on this device).
        #expect(try page.execute("return document.querySelector('#preview').getAttribute('src')").stringValue?.hasPrefix("data:image/") == true)

        // Opened from a shared link on a device that never saw the photo: titled with the
        // product once it is known, with the product's picture, not "Result 61e5…".
        _ = try page.execute("localStorage.clear(); return true")
        try page.navigate(to: server.baseURL + "/?shared#result=\(id)")
        _ = try browser.waitForResult(cards: 6, timeout: 30)
        let head = try browser.waitFor("the shared result's picture") {
            let head = try page.execute("""
                const p = document.querySelector('#preview');
                return { title: document.querySelector('#result-title').textContent, shown: !p.hidden && p.complete && p.naturalWidth > 0 };
                """)
            return head["shown"] == true ? head : JSONValue?.none
        }
        #expect(head["title"]?.stringValue?.lowercased() == "\(entry.brand) \(entry.name)".lowercased(), "\(head)")
    }

    /// What the cards say, compared with the catalog the demo world serves.
    /// `gateway`: the server's base URL; the demo's `.example` links open through it (`/demo/web/`).
    func expectCatalogValues(_ shown: JSONValue, _ entry: ShopEntry, gateway: String, sourceLocation: SourceLocation = #_sourceLocation) {
        func viaGateway(_ url: String) -> String { url.replacingOccurrences(of: "http://", with: gateway + "/demo/web/") }
        #expect(shown["status"] == "complete", "\(shown)", sourceLocation: sourceLocation)
        let stages = ["image-info", "lens-matches", "barcodes", "photo-text", "model-producer", "producer-url", "retail-price-details",
                      "second-hand-offers", "estimated-price"]
        let steps = shown["steps"]?.arrayValue ?? []
        // In the order the stages started (parallel branches may swap), every one of them.
        let railed = steps.compactMap { $0[0]?.stringValue }
        #expect(railed.first == stages.first && Set(railed) == Set(stages) && railed.count == stages.count, "\(railed)",
                sourceLocation: sourceLocation)
        for step in steps {
            #expect(step[1] == "finished", "\(step)", sourceLocation: sourceLocation)
            let time = step[2]?.stringValue ?? ""
            #expect(time.hasSuffix(" ms") || time.hasSuffix(" s"), "no time on the rail: \(step)", sourceLocation: sourceLocation)
        }
        #expect(shown["producer"]?.stringValue == entry.brand, sourceLocation: sourceLocation)
        #expect(shown["model"]?.stringValue?.lowercased() == entry.name.lowercased(), sourceLocation: sourceLocation)
        #expect(shown["confidence"]?.stringValue?.hasSuffix("%") == true, sourceLocation: sourceLocation)
        #expect(shown["makerLink"]?.stringValue == viaGateway(entry.maker.url), sourceLocation: sourceLocation)
        #expect(shown["retailAmount"]?.stringValue == entry.maker.facts.price, sourceLocation: sourceLocation)
        #expect(shown["retailCurrency"]?.stringValue == entry.maker.facts.currency, sourceLocation: sourceLocation)
        #expect(shown["retailText"]?.stringValue?.contains(entry.maker.facts.price) == true, "\(String(describing: shown["retailText"]))",
                sourceLocation: sourceLocation)
        #expect(shown["material"]?.stringValue == entry.maker.facts.material, sourceLocation: sourceLocation)

        // Offers for sale and sales apart: a sale is marked "Sold" with its date, counted as a
        // sale, and its link is a record of the sale, not a shop link styled like an offer.
        let expected = entry.expectedOffers(withSearch: true)
        let forSale = expected.filter { $0.kind != .sold }
        let sold = expected.filter { $0.kind == .sold }
        #expect(!sold.isEmpty, "the sample has sales", sourceLocation: sourceLocation)
        let offerLinks = shown["offerLinks"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(offerLinks.count == forSale.count, sourceLocation: sourceLocation)
        #expect(Set(offerLinks) == Set(forSale.map { viaGateway($0.url) }), sourceLocation: sourceLocation)
        #expect(shown["offerCount"]?.intValue == forSale.count, sourceLocation: sourceLocation)
        #expect(shown["saleCount"]?.intValue == sold.count, sourceLocation: sourceLocation)
        #expect(shown["countText"]?.stringValue?.contains("\(forSale.count) offers for sale") == true
                && shown["countText"]?.stringValue?.contains("\(sold.count) recent sales") == true, "\(String(describing: shown["countText"]))",
                sourceLocation: sourceLocation)
        let saleLinks = shown["saleLinks"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(Set(saleLinks) == Set(sold.map { viaGateway($0.url) }), "\(saleLinks)", sourceLocation: sourceLocation)
        #expect(shown["saleLinkClasses"]?.arrayValue?.allSatisfy { $0.stringValue?.contains("offer-link") == false } == true,
                sourceLocation: sourceLocation)
        let marks = shown["soldMarks"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let years = Set(sold.compactMap { $0.soldDate?.prefix(4) }.map(String.init))
        #expect(marks.count == sold.count && marks.allSatisfy { mark in mark.hasPrefix("Sold ") && years.contains { mark.contains($0) } },
                "\(marks)", sourceLocation: sourceLocation)
        #expect(shown["soldMarksOnOffers"]?.intValue == 0, sourceLocation: sourceLocation)
        // What the estimate rests on: the listings it used are marked, and its card says how many sales and offers.
        #expect((shown["inEstimate"]?.intValue ?? 0) > 0, sourceLocation: sourceLocation)
        #expect(shown["estimateUsed"]?.stringValue?.contains("sales") == true, "\(String(describing: shown["estimateUsed"]))",
                sourceLocation: sourceLocation)
        #expect(shown["rangeWords"]?.stringValue?.contains(" and ") == true, "\(String(describing: shown["rangeWords"]))",
                sourceLocation: sourceLocation)
        // The photo readers' cards are in words: no generic card, no JSON anywhere on a card.
        #expect(shown["genericCards"]?.arrayValue?.isEmpty == true, "\(String(describing: shown["genericCards"]))", sourceLocation: sourceLocation)
        for (card, text) in shown["cardTexts"]?.objectValue?.entries ?? [] {
            let words = text.stringValue ?? ""
            #expect(!words.contains("{\"") && !words.contains("\":") && !words.contains("[{"), "JSON on the \(card) card: \(words)",
                    sourceLocation: sourceLocation)
        }

        let low = shown["estimateMin"]?.stringValue.flatMap(Double.init)
        let high = shown["estimateMax"]?.stringValue.flatMap(Double.init)
        #expect(low != nil && high != nil && low! <= high!, "estimate range \(String(describing: low))–\(String(describing: high))",
                sourceLocation: sourceLocation)
        #expect(shown["estimateText"]?.stringValue?.isEmpty == false, sourceLocation: sourceLocation)
        #expect(shown["certainty"]?.stringValue?.hasSuffix("%") == true, sourceLocation: sourceLocation)
        // The chart plots every offer: the estimate's currency as is, the others converted at the
        // rate the estimate names, which the caption gives.
        let currency = shown["estimateCurrency"]?.stringValue ?? ""
        #expect(shown["chartDots"]?.intValue == expected.count, sourceLocation: sourceLocation)
        let others = Set(expected.map(\.currency)).subtracting([currency])
        let conversion = shown["conversion"]?.stringValue ?? ""
        for other in others {
            #expect(conversion.contains("1 \(other) = ") && conversion.contains(currency), "\(conversion)", sourceLocation: sourceLocation)
        }

        // Every link from shop data opens in a new tab without a reference back to the page.
        let links = shown["links"]?.arrayValue ?? []
        #expect(links.count >= expected.count + 2, sourceLocation: sourceLocation)
        for link in links {
            let rel = Set((link["rel"]?.stringValue ?? "").split(separator: " ").map(String.init))
            #expect(rel.isSuperset(of: ["noopener", "noreferrer"]) && link["target"] == "_blank", "\(link)", sourceLocation: sourceLocation)
            #expect(link["href"]?.stringValue?.hasPrefix("http") == true, "\(link)", sourceLocation: sourceLocation)
        }
    }
}
