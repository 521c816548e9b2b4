import DemoWorld
import Foundation
import Glibc
import JSON
import Outbound
import TestSupport
import Testing

/// The page follows a run to `done` whatever `stage-error`s arrive. Real headless
/// Chromium uses the page `lens-gpt serve --demo` serves; what the page shows is compared with
/// the server's own snapshot of the run (`GET /results/{id}`): every result that arrived has its
/// card, every failed stage shows on its card and the rail, and nothing says the connection was lost.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: DemoServer.binary) && ChromeDriverProcess.find() != nil,
                             "needs .build/debug/lens-gpt and chromedriver (scripts/deps test installs chromium and chromium-driver)"))
struct StageErrorPageTests {
    /// A 64 × 48 flat magenta PNG: no product of the catalog, so Lens finds nothing.
    static let unknownPhoto = "iVBORw0KGgoAAAANSUhEUgAAAEAAAAAwCAIAAAAuKetIAAAAZElEQVR4nO3PUQkAIBTAwJfEYCY2liH8OITBAtzmrP11wwUNaEEDWtCAFjSgBQ1oQQNa0IAWNKAFDWhBA1rQgBY0oAUNaEEDWtCAFjSgBQ1oQQNa0IAWNKAFDWhBA1rQgBY8dgE0gwDiSzUPuwAAAABJRU5ErkJggg=="

    @Test(.timeLimit(.minutes(3)))
    func anUnknownPhotoEndsWithTheVisualSearchFailure() throws {
        // On a phone-sized window (headless Chromium's narrowest is 500 px, inside the page's
        // 34rem phone layout): the rail must not push the first card down the screen.
        let run = try PageRun(upload: .unknown, width: 500, height: 844)
        defer { run.stop() }
        let errors = run.snapshotErrors()
        #expect(errors.contains { $0["stage"] == "lens-matches" && $0["code"] == "lens_no_matches" }, "\(errors)")
        #expect(run.snapshot["status"] == "partial")
        #expect(run.shown["status"] == "partial")
        // Identification ran on what there was (the photo's own barcode and text: nothing) and
        // abstained; what needs an identity was skipped, and the rail says so.
        let steps = run.steps()
        #expect(steps["model-producer"] == "finished", "model-producer: \(String(describing: steps["model-producer"]))")
        for stage in ["producer-url", "second-hand-offers", "retail-price-details", "estimated-price"] {
            #expect(steps[stage] == "skipped", "\(stage): \(String(describing: steps[stage]))")
        }
        run.expectPageMatchesSnapshot()
        // In words: the providers the server says it tried (and no other), no "try again" for
        // "no matches", the codes only inside the details, a status line that says what was found.
        let tried = Set(run.snapshotErrors().last { $0["stage"] == "lens-matches" && $0["fallback"] == nil }?["tried"]?
            .arrayValue?.compactMap { $0["provider"]?.stringValue } ?? [])
        #expect(!tried.isEmpty, "\(run.snapshotErrors())")
        let card = try run.visualSearchCard()
        for (provider, words) in PageRun.providerWords {
            #expect(tried.contains(provider) || !card.text.lowercased().contains(words.lowercased()), "names \(provider): \(card.text)")
        }
        #expect(!card.text.contains("again"), "\(card.text)")
        #expect(!card.text.contains("lens_no_matches") && card.details.contains("lens_no_matches"), "\(card)")
        let statusText = run.shown["statusText"]?.stringValue ?? ""
        #expect(!statusText.contains("missing") && statusText.contains("not identified"), "\(statusText)")
        let rail = try run.browser.session.execute("""
            return { height: document.querySelector('#rail').getBoundingClientRect().height,
                     phone: window.matchMedia('(max-width: 34rem)').matches,
                     steps: document.querySelectorAll('#rail .step').length };
            """)
        #expect(rail["phone"] == true, "not a phone-sized window: \(rail)")
        // One step per stage of the run, as `done` lists them.
        let done = run.snapshot["events"]?.arrayValue?.last { $0["event"] == "done" }
        let stages = done?["data"]?["stages"]?.objectValue?.count ?? -1
        #expect(rail["steps"]?.intValue == stages && (rail["height"]?.doubleValue ?? 999) <= 80, "the rail on a phone: \(rail)")
    }

    /// With Google Lens the only visual-search provider, an unknown photo's card names it alone.
    @Test(.timeLimit(.minutes(3)))
    func anUnknownPhotosCardNamesOnlyTheConfiguredProvider() throws {
        let run = try PageRun(upload: .unknown, arguments: ["--visual-providers", "google-lens"])
        defer { run.stop() }
        let card = try run.visualSearchCard()
        #expect(card.text.contains("Google Lens found no visual matches"), "\(card.text)")
        for word in ["serpapi", "hosted lens", "ebay"] {
            #expect(!(card.text + card.details).lowercased().contains(word), "names \(word): \(card)")
        }
        #expect(!card.text.contains("again"), "\(card.text)")
        run.expectPageMatchesSnapshot()
    }

    /// Every visual-search provider down, but the flask's barcode names it: the failed visual
    /// search was not needed, so its card and step are neutral and the status says what was found.
    @Test(.timeLimit(.minutes(3)))
    func aVisualSearchTheBarcodeMadeUnnecessaryIsNeutral() throws {
        let run = try PageRun(upload: .sample("vacuum-flask"), arguments: ["--demo-faults", "lens-blocked,lens-api-down"])
        defer { run.stop() }
        let entry = try #require(ShopCatalog.entry("vacuum-flask"))
        #expect(run.snapshotErrors().contains { $0["stage"] == "lens-matches" && $0["fallback"] == nil }, "\(run.snapshotErrors())")
        #expect(run.snapshot["result"]?["model-producer"]?["producer"]?.stringValue == entry.brand)
        let state = try run.browser.session.execute("""
            const card = document.querySelector('#cards .card[data-card="lens-matches"]');
            const step = document.querySelector('#rail .step[data-stage="lens-matches"]');
            return { failed: card.classList.contains('failed'), unneeded: card.classList.contains('unneeded'),
                     stepUnneeded: step.classList.contains('unneeded'),
                     text: card.textContent };
            """)
        #expect(state["failed"] == false && state["unneeded"] == true && state["stepUnneeded"] == true, "\(state)")
        #expect(state["text"]?.stringValue?.contains("Not needed") == true && state["text"]?.stringValue?.contains("barcode") == true, "\(state)")
        let statusText = run.shown["statusText"]?.stringValue ?? ""
        #expect(statusText.contains(entry.brand) && !statusText.contains("missing") && !statusText.contains("Visual"), "\(statusText)")
        run.expectPageMatchesSnapshot()
    }

    @Test(.timeLimit(.minutes(3)))
    func anLLMFallbackStillShowsEveryCard() throws {
        // An LLM endpoint on a port nothing listens on: every chat call fails at once.
        let run = try PageRun(upload: .sample("desk-lamp"), environment: ["OPENAI_BASE_URL": "http://127.0.0.1:\(try closedPort())/v1",
                                                                            "OPENAI_API_KEY": "test-key"])
        defer { run.stop() }
        let fallbacks = run.snapshotErrors().filter { $0["fallback"] != nil }
        #expect(fallbacks.contains { $0["stage"] == "model-producer" && $0["code"] == "llm_failed" }, "\(run.snapshotErrors())")
        #expect(run.snapshot["status"] == "complete")
        #expect(run.shown["status"] == "complete")
        // A card for every result the run sent (the five, the visual matches and the photo
        // readers'); the photo's facts go in the header, not a card.
        let results = run.resultsWithCards()
        #expect(results.count >= 6 && Set(run.arrivedCards()) == Set(results), "\(run.arrivedCards()) vs \(results)")
        // A fallback is a note on its card; the card and its step are not failed.
        let note = run.notes().first { $0["stage"] == "model-producer" }
        #expect(note?["code"] == "llm_failed" && note?["text"]?.stringValue?.hasPrefix("Used another source") == true, "\(run.notes())")
        #expect(run.steps()["model-producer"] == "finished")
        run.expectPageMatchesSnapshot()
    }

    @Test(.timeLimit(.minutes(3)))
    func aFailedStageShowsOnItsCardAndTheRest() throws {
        // Page fetches get 1 ms: the maker's page cannot be read (retail details fail), listings
        // are not read (no offers), so the estimate has nothing to go on and fails too.
        let run = try PageRun(upload: .sample("desk-lamp"), arguments: ["--fetch-timeout-ms", "1"])
        defer { run.stop() }
        let failed = Set(run.snapshotErrors().filter { $0["fallback"] == nil }.compactMap { $0["stage"]?.stringValue })
        #expect(failed.contains("retail-price-details"), "\(run.snapshotErrors())")
        #expect(run.snapshot["status"] == "partial")
        #expect(run.shown["status"] == "partial")
        // The results before and beside the failure all arrived.
        let arrived = Set(run.arrivedCards())
        #expect(arrived.isSuperset(of: ["model-producer", "producer-url", "second-hand-offers", "lens-matches"]), "\(arrived)")
        run.expectPageMatchesSnapshot()
    }

    /// A stage the page has no line for (the synthetic `tick` stage) still gets its step on the
    /// rail and a card with its fields: a new stage needs no change in web/.
    @Test(.timeLimit(.minutes(3)))
    func aStageThePageDoesNotKnowGetsAGenericCard() throws {
        let run = try PageRun(upload: .sample("desk-lamp"), arguments: ["--synthetic-stage-ms", "1500"])
        defer { run.stop() }
        #expect(run.snapshot["result"]?["tick"] != nil, "\(String(describing: run.snapshot["result"]))")
        #expect(run.steps()["tick"] == "finished")
        let card = try run.browser.session.execute("""
            const card = document.querySelector('#cards .card.arrived[data-card="tick"]');
            return card ? { title: card.querySelector('h3').textContent,
                            fields: [...card.querySelectorAll('[data-field=generic] dt')].map((d) => d.textContent) } : null;
            """)
        #expect(card["title"] == "tick", "\(card)")
        #expect(card["fields"]?.arrayValue?.compactMap(\.stringValue) == ["n", "unix ns"], "\(card)")
        run.expectPageMatchesSnapshot()
    }

}

/// One upload through the page, followed to `done`, with the server's snapshot beside what the page shows.
final class PageRun {
    enum Upload {
        case unknown
        case sample(String)
    }

    let server: DemoServer
    let browser: PageBrowser
    var snapshot: JSONValue = .null
    var shown: JSONValue = .null

    init(upload: Upload, arguments: [String] = [], environment: [String: String] = [:], width: Int = 1200, height: Int = 1600) throws {
        server = try DemoServer(arguments: arguments, environment: environment)
        do {
            browser = try PageBrowser(directory: server.directory, width: width, height: height)
        } catch {
            server.stop()
            throw error
        }
        let page = browser.session
        try page.navigate(to: server.baseURL + "/")
        let path: String
        switch upload {
        case .unknown:
            path = server.directory + "/unknown.png"
            try Data(base64Encoded: StageErrorPageTests.unknownPhoto)?.write(to: URL(fileURLWithPath: path))
        case .sample(let id):
            let product = try #require(LensCatalog.product(id))
            path = server.directory + "/\(id).png"
            try Data(product.photo).write(to: URL(fileURLWithPath: path))
        }
        try page.sendKeys(try page.findElement(css: "#file"), path)
        // `done` sets the result's status; until then the page is still following the stream.
        _ = try browser.waitFor("the run's done", timeout: 150) {
            try page.execute("return document.querySelector('#result').dataset.status || null").stringValue
        }
        let hash = try page.execute("return location.hash").stringValue ?? ""
        let id = String(hash.dropFirst("#result=".count))
        snapshot = try page.execute("""
            const request = new XMLHttpRequest();
            request.open('GET', '/results/' + arguments[0], false);
            request.send();
            return JSON.parse(request.responseText);
            """, [.string(id)])
        shown = try page.execute("""
            return { status: document.querySelector('#result').dataset.status ?? null,
                     statusText: document.querySelector('#status').textContent,
                     retryShown: !document.querySelector('#retry').hidden };
            """)
    }

    func stop() {
        browser.stop()
        server.stop()
    }

    /// How the page names each visual-search provider.
    static let providerWords = ["google-lens": "Google Lens", "serpapi": "SerpApi", "ebay-image": "eBay's image search"]

    /// The visual-search card's words outside its details, and inside them.
    func visualSearchCard() throws -> (text: String, details: String) {
        let card = try browser.session.execute("""
            const card = document.querySelector('#cards .card[data-card="lens-matches"]');
            if (!card) return null;
            const details = [...card.querySelectorAll('details.error-details')].map((d) => d.textContent).join(' ');
            const copy = card.cloneNode(true);
            copy.querySelectorAll('details.error-details').forEach((d) => d.remove());
            return { text: copy.textContent, details };
            """)
        return (card["text"]?.stringValue ?? "", card["details"]?.stringValue ?? "")
    }

    /// The result events that get a card: all but image-info (the line under the title) and a
    /// photo reader that found nothing (no barcode, no printed text), whose card is left out.
    func resultsWithCards() -> [String] {
        (snapshot["result"]?.objectValue?.entries ?? []).filter { name, payload in
            switch name {
            case "image-info": return false
            case "barcodes": return !(payload.arrayValue ?? []).isEmpty
            case "photo-text": return (payload["lines"]?.arrayValue ?? []).contains { !($0.stringValue ?? "").trimmingCharacters(in: .whitespaces).isEmpty }
            default: return true
            }
        }.map(\.key)
    }

    func snapshotErrors() -> [JSONValue] {
        (snapshot["events"]?.arrayValue ?? []).filter { $0["event"] == "stage-error" }.compactMap { $0["data"] }
    }

    func arrivedCards() -> [String] {
        (try? browser.session.execute("return [...document.querySelectorAll('#cards .card.arrived')].map((c) => c.dataset.card)"))?
            .arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// Rail step → state.
    func steps() -> [String: String] {
        let pairs = (try? browser.session.execute("return [...document.querySelectorAll('#rail .step')].map((s) => [s.dataset.stage, s.dataset.state])"))?
            .arrayValue ?? []
        var out: [String: String] = [:]
        for pair in pairs { if let stage = pair[0]?.stringValue { out[stage] = pair[1]?.stringValue } }
        return out
    }

    /// The error notes on the cards: stage, code, text, whether the card is marked failed.
    func notes() -> [JSONValue] {
        (try? browser.session.execute("""
            return [...document.querySelectorAll('#cards .stage-error')].map((n) => {
              const card = n.closest('.card');
              return { stage: card.dataset.card, code: n.dataset.code, codes: (n.dataset.codes ?? '').split(' '), text: n.textContent,
                       cardFailed: card.classList.contains('failed'), unneeded: card.classList.contains('unneeded') };
            });
            """))?.arrayValue ?? []
    }

    /// The page against the server's record of the run.
    func expectPageMatchesSnapshot(sourceLocation: SourceLocation = #_sourceLocation) {
        let statusText = shown["statusText"]?.stringValue ?? ""
        #expect(!statusText.contains("connection was lost") && !statusText.contains("could not be opened"), "\(statusText)",
                sourceLocation: sourceLocation)
        #expect(statusText.hasPrefix("Done") || statusText.hasPrefix("Failed"), "\(statusText)", sourceLocation: sourceLocation)
        #expect(shown["retryShown"] == false, sourceLocation: sourceLocation)
        #expect(shown["status"] == snapshot["status"], sourceLocation: sourceLocation)

        // Every result that arrived has its card (image-info is the line under the title; a
        // photo reader that found nothing has none).
        let results = resultsWithCards()
        let resultNames = snapshot["result"]?.objectValue?.keys ?? []
        #expect(resultNames.count > 0, "\(snapshot)", sourceLocation: sourceLocation)
        let arrived = Set(arrivedCards())
        for name in results {
            #expect(arrived.contains(name), "no card for \(name); cards: \(arrived)", sourceLocation: sourceLocation)
        }
        for name in ["barcodes", "photo-text"] where snapshot["result"]?[name] != nil && !results.contains(name) {
            #expect(!arrived.contains(name), "a card for an empty \(name)", sourceLocation: sourceLocation)
        }
        // Every stage-error is on its stage's card (a provider's fallback inside the stage's own
        // failure, which lists every provider tried); a failure also on the card's frame and the
        // rail, unless another source made the stage unnecessary (then the card is neutral).
        let notes = notes()
        let steps = steps()
        for error in snapshotErrors() {
            let stage = error["stage"]?.stringValue ?? ""
            let code = error["code"]?.stringValue ?? ""
            let note = notes.first { $0["stage"]?.stringValue == stage && ($0["codes"]?.arrayValue ?? []).contains(.string(code)) }
            #expect(note != nil, "no note for \(error); notes: \(notes)", sourceLocation: sourceLocation)
            if error["fallback"] == nil {
                #expect(note?["cardFailed"] == true || note?["unneeded"] == true, "\(stage)'s card is not marked failed", sourceLocation: sourceLocation)
                #expect(steps[stage] == "failed", "\(stage) on the rail: \(String(describing: steps[stage]))", sourceLocation: sourceLocation)
            }
        }
        // Every stage of the run is on the rail in the state the server ended it in.
        let stages = snapshot["events"]?.arrayValue?.last?["data"]?["stages"]?.objectValue
        #expect(stages != nil, sourceLocation: sourceLocation)
        for (stage, record) in stages?.entries ?? [] {
            #expect(steps[stage] == record["state"]?.stringValue, "\(stage): rail \(String(describing: steps[stage])), server \(record)",
                    sourceLocation: sourceLocation)
        }
    }
}
