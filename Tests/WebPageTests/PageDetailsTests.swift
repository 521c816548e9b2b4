import DemoWorld
import Foundation
import JSON
import Outbound
import Testing

/// The page's smaller promises in real headless Chromium on `lens-gpt serve --demo`: the photo
/// readers' cards in words, the country a result is for (picked, remembered, defaulting to the
/// browser's), and a rail step that counts while its stage runs.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: DemoServer.binary) && ChromeDriverProcess.find() != nil,
                             "needs .build/debug/lens-gpt and chromedriver (scripts/deps test installs chromium and chromium-driver)"))
struct PageDetailsTests {
    /// The flask's photo carries an EAN-13: its card gives the code, its type and the product it names.
    @Test(.timeLimit(.minutes(3)))
    func theBarcodeAndPrintedTextCardsAreInWords() throws {
        let run = try PageRun(upload: .sample("vacuum-flask"))
        defer { run.stop() }
        let entry = try #require(ShopCatalog.entry("vacuum-flask"))
        let cards = try run.browser.session.execute("""
            const card = (name) => document.querySelector(`#cards .card[data-card="${name}"]`);
            const texts = (name, field) => [...(card(name)?.querySelectorAll(`[data-field=${field}]`) ?? [])].map((e) => e.textContent);
            return { barcode: card('barcodes')?.textContent ?? null, values: texts('barcodes', 'barcode-value'),
                     names: texts('barcodes', 'barcode-names'), text: card('photo-text')?.textContent ?? null,
                     lines: texts('photo-text', 'text-line').length,
                     generic: [...document.querySelectorAll('#cards [data-field=generic]')].length };
            """)
        #expect(cards["values"]?.arrayValue?.compactMap(\.stringValue) == [ShopCatalog.barcodeSampleGTIN], "\(cards)")
        let barcode = cards["barcode"]?.stringValue ?? ""
        #expect(barcode.contains("EAN-13"), "\(barcode)")
        #expect(cards["names"]?[0]?.stringValue?.contains(entry.brand) == true, "what the code names: \(cards)")
        #expect(cards["generic"] == 0)
        // Printed text, when the photo has any, is lines of words, never JSON.
        let printed = run.snapshot["result"]?["photo-text"]?["lines"]?.arrayValue ?? []
        let shownText = cards["text"]?.stringValue
        if printed.contains(where: { !($0.stringValue ?? "").trimmingCharacters(in: .whitespaces).isEmpty }) {
            #expect((cards["lines"]?.intValue ?? 0) > 0, "\(cards)")
        } else {
            #expect(shownText == nil, "a printed-text card with nothing to show: \(String(describing: shownText))")
        }
        for text in [barcode, shownText ?? ""] {
            #expect(!text.contains("{\"") && !text.contains("\":") && !text.contains("[{"), "JSON on a card: \(text)")
        }
    }

    /// No sample photo carries printed text, so the page's own renderer is given a reading as the
    /// server words it: lines of words, the unsure ones faded, long texts folded, never JSON;
    /// nothing read gives no card.
    @Test(.timeLimit(.minutes(2)))
    func printedTextReadsAsLinesWithUnsureWordsFaded() throws {
        let front = try FrontPage()
        defer { front.stop() }
        let page = front.session
        let shown = try page.executeAsync("""
            const done = arguments[arguments.length - 1];
            import('/photo-cards.js').then(({ photoTextBody }) => {
              const lines = ['BERGFROST', 'Summit 750 ml', 'keeps hot 24 h', 'steel', 'made in', 'Norway', 'dishwasher safe'];
              const words = lines.flatMap((line, index) => line.split(' ').map((text) => ({ text, line: index, confidence: text === '24' ? 31 : 93 })));
              const body = photoTextBody({ text: lines.join('\\n'), lines, words, language: 'eng', truncated: true, truncated_by: 'time' });
              const empty = photoTextBody({ text: '', lines: [], words: [], language: 'eng', truncated: false, truncated_by: null });
              document.body.append(body);
              done({ lines: [...body.querySelectorAll('[data-field=text-line]')].map((l) => l.textContent),
                     folded: [...body.querySelectorAll('details [data-field=text-line]')].length,
                     unsure: [...body.querySelectorAll('.unsure')].map((w) => w.textContent),
                     text: body.textContent, empty: empty === null });
            }, (error) => done({ error: String(error) }));
            """)
        let lines = shown["lines"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(lines.first == "BERGFROST" && lines.count == 7 && lines[2] == "keeps hot 24 h", "\(shown)")
        #expect(shown["folded"] == 1, "\(shown)")
        #expect(shown["unsure"]?.arrayValue?.compactMap(\.stringValue) == ["24"], "\(shown)")
        let text = shown["text"]?.stringValue ?? ""
        #expect(text.contains("time limit") && !text.contains("{\"") && !text.contains("\":"), "\(text)")
        #expect(shown["empty"] == true)
    }

    /// Without a choice the page uses the browser's country; a pick is sent with the upload,
    /// shown on the result, applied to the photo on screen, and remembered after a reload.
    @Test(.timeLimit(.minutes(4)))
    func theCountryPickerDefaultsToTheBrowsersAndIsRemembered() throws {
        let front = try FrontPage()
        defer { front.stop() }
        let (server, browser, page) = (front.server, front.browser, front.session)
        let start = try page.execute("return { language: navigator.language, picked: document.querySelector('#country').value }")
        let language = start["language"]?.stringValue ?? ""
        let region = language.split(separator: "-").dropFirst().first.map { String($0).uppercased() }
        let browserRegion = try #require(region, "the browser's language has no region: \(language)")
        #expect(start["picked"]?.stringValue == browserRegion, "\(start)")

        // Pick Germany, then send the lamp: the result is Germany's, in euros.
        _ = try page.execute("""
            const select = document.querySelector('#country');
            select.value = 'DE';
            select.dispatchEvent(new Event('change'));
            return true;
            """)
        let product = try #require(LensCatalog.product("desk-lamp"))
        let photo = server.directory + "/desk-lamp.png"
        try Data(product.photo).write(to: URL(fileURLWithPath: photo))
        try page.sendKeys(try page.findElement(css: "#file"), photo)
        let german = try browser.waitForResult(cards: 6, timeout: 120)
        #expect(german["estimateCurrency"] == "EUR", "\(String(describing: german["estimateCurrency"]))")
        let shownCountry = try page.execute("""
            const c = document.querySelector('[data-field=result-country]');
            return c ? { code: c.dataset.country, text: c.textContent } : null;
            """)
        #expect(shownCountry["code"] == "DE" && shownCountry["text"]?.stringValue?.contains("Germany") == true, "\(shownCountry)")
        let germanID = try page.execute("return location.hash").stringValue ?? ""

        // Another country applies to the photo on screen: a new result for it.
        _ = try page.execute("""
            const select = document.querySelector('#country');
            select.value = 'GB';
            select.dispatchEvent(new Event('change'));
            return true;
            """)
        let british = try browser.waitFor("the result for the United Kingdom", timeout: 120) {
            let now = try page.execute("""
                return { hash: location.hash, status: document.querySelector('#result').dataset.status || null,
                         country: document.querySelector('[data-field=result-country]')?.dataset.country ?? null };
                """)
            return now["country"] == "GB" && now["status"]?.stringValue != nil ? now : JSONValue?.none
        }
        #expect(british["hash"]?.stringValue != germanID, "\(british)")

        // Remembered on this device.
        try page.navigate(to: server.baseURL + "/")
        let after = try browser.waitFor("the picker after a reload") {
            try page.execute("return document.querySelector('#country').options.length > 1 ? document.querySelector('#country').value : null")
                .stringValue
        }
        #expect(after == "GB")
        #expect(try page.execute("return localStorage.getItem('lens-gpt.country')") == "GB")
    }

    /// A running stage's step counts up while it runs (the synthetic `tick` stage runs for seconds).
    @Test(.timeLimit(.minutes(3)))
    func aRunningStepCountsItsTime() throws {
        let server = try DemoServer(arguments: ["--synthetic-stage-ms", "4000"])
        defer { server.stop() }
        let browser = try PageBrowser(directory: server.directory, width: 1200, height: 1600)
        defer { browser.stop() }
        let page = browser.session
        try page.navigate(to: server.baseURL + "/")
        let product = try #require(LensCatalog.product("desk-lamp"))
        let photo = server.directory + "/desk-lamp.png"
        try Data(product.photo).write(to: URL(fileURLWithPath: photo))
        try page.sendKeys(try page.findElement(css: "#file"), photo)
        let readStep = """
            const s = document.querySelector('#rail .step[data-stage="tick"]');
            return s ? { state: s.dataset.state, text: s.querySelector('.step-state').textContent } : null;
            """
        let first = try browser.waitFor("the tick stage to run", timeout: 60) {
            let step = try page.execute(readStep)
            return step["state"] == "started" ? step : JSONValue?.none
        }
        let firstText = first["text"]?.stringValue ?? ""
        let later = try browser.waitFor("the step's time to move", timeout: 3) {
            let step = try page.execute(readStep)
            return step["state"] == "started" && step["text"]?.stringValue != firstText ? step : JSONValue?.none
        }
        let laterText = later["text"]?.stringValue ?? ""
        #expect(firstText.hasPrefix("running, ") && laterText.hasPrefix("running, "), "\(firstText) → \(laterText)")
        #expect(PageDetailsTests.millis(laterText) > PageDetailsTests.millis(firstText), "\(firstText) → \(laterText)")
    }

    /// "running, 340 ms" → 340; "running, 1.2 s" → 1200.
    static func millis(_ text: String) -> Double {
        let value = text.split(separator: " ").dropFirst().first.flatMap { Double($0) } ?? -1
        return text.hasSuffix(" ms") ? value : value * 1000
    }
}
