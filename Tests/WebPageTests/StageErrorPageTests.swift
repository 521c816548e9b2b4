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
        let results = (run.snapshot["result"]?.objectValue?.keys ?? []).filter { $0 != "image-info" }
        #expect(results.count >= 6 && Set(run.arrivedCards()) == Set(results), "\(run.arrivedCards()) vs \(results)")
        // A fallback is a note on its card; the card and its step are not failed.
        let note = run.notes().first { $0["stage"] == "model-producer" }
        #expect(note?["code"] == "llm_failed" && note?["text"]?.stringValue?.hasPrefix("Fell back") == true, "\(run.notes())")
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
              return { stage: card.dataset.card, code: n.dataset.code, text: n.textContent, cardFailed: card.classList.contains('failed') };
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

        // Every result that arrived has its card (image-info is the line under the title).
        let results = snapshot["result"]?.objectValue?.keys ?? []
        #expect(!results.isEmpty, "\(snapshot)", sourceLocation: sourceLocation)
        let arrived = Set(arrivedCards())
        for name in results where name != "image-info" {
            #expect(arrived.contains(name), "no card for \(name); cards: \(arrived)", sourceLocation: sourceLocation)
        }
        // Every stage-error is on its stage's card; a failure also on the card's frame and the rail.
        let notes = notes()
        let steps = steps()
        for error in snapshotErrors() {
            let stage = error["stage"]?.stringValue ?? ""
            let note = notes.first { $0["stage"]?.stringValue == stage && $0["code"] == error["code"] }
            #expect(note != nil, "no note for \(error); notes: \(notes)", sourceLocation: sourceLocation)
            if error["fallback"] == nil {
                #expect(note?["cardFailed"] == true, "\(stage)'s card is not marked failed", sourceLocation: sourceLocation)
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
