import Foundation
import JSON
import Outbound
import TestSupport

/// A chromedriver of the test's own and one headless Chromium session, with the page probes the
/// test needs. Waits poll the DOM until a deadline; nothing waits a fixed time for the page.
final class PageBrowser {
    struct Timeout: Error, CustomStringConvertible { let description: String }

    let driver: ChromeDriverProcess
    let session: WebDriverSession

    init(directory: String, width: Int, height: Int) throws {
        guard let path = ChromeDriverProcess.find() else { throw Timeout(description: "chromedriver is not on PATH") }
        driver = ChromeDriverProcess(executable: path, logPath: directory + "/chromedriver.log")
        let client = WebDriverClient(baseURL: try driver.ensureRunning())
        do {
            session = try client.newSession(capabilities: PageBrowser.capabilities(width: width, height: height))
        } catch {
            driver.stop()
            throw error
        }
    }

    func stop() {
        try? session.delete()
        driver.stop()
    }

    /// The project's headless Chromium, with the window the screenshot should have.
    static func capabilities(width: Int, height: Int) -> JSONValue {
        let base = BrowserPoolConfiguration.headlessChromium(binary: ChromeDriverProcess.find("chromium"))
        guard case .object(var capabilities) = base, case .object(var options)? = capabilities["goog:chromeOptions"],
              let arguments = options["args"]?.arrayValue
        else { return base }
        options["args"] = .array(arguments.map {
            $0.stringValue?.hasPrefix("--window-size=") == true ? .string("--window-size=\(width),\(height)") : $0
        } + ["--hide-scrollbars"])
        capabilities["goog:chromeOptions"] = .object(options)
        return .object(capabilities)
    }

    /// Polls `probe` until it returns a value or `timeout` seconds pass.
    func waitFor<T>(_ what: String, timeout: Double = 15, _ probe: () throws -> T?) throws -> T {
        guard let value = try waitForValue(timeout: timeout, every: 0.1, probe) else {
            throw Timeout(description: "timed out waiting for \(what)")
        }
        return value
    }

    /// The refusal message when it is on screen (shown, with a size), else nil.
    func visibleRefusal() throws -> String? {
        try session.execute("""
            const r = document.querySelector('#refusal');
            const box = r.getBoundingClientRect();
            return !r.hidden && getComputedStyle(r).display !== 'none' && box.height > 0 && box.width > 0 ? r.textContent : null;
            """).stringValue
    }

    /// Waits for the stream's `done` and at least `cards` filled cards (the photo readers add theirs), then reads what the page shows.
    func waitForResult(cards: Int, timeout: Double) throws -> JSONValue {
        _ = try waitFor("\(cards) result cards", timeout: timeout) {
            let state = try session.execute("""
                return [document.querySelector('#result').dataset.status || null,
                        document.querySelectorAll('#cards .card.arrived').length];
                """)
            return state[0]?.stringValue != nil && (state[1]?.intValue ?? 0) >= cards ? true : nil
        }
        return try session.execute(PageBrowser.readCards)
    }

    /// Everything the test compares, read from the DOM by the `data-field` marks.
    static let readCards = """
        const q = (s) => document.querySelector(s);
        const text = (s) => q(s)?.textContent ?? null;
        return {
          status: q('#result').dataset.status ?? null,
          steps: [...document.querySelectorAll('#rail .step')]
            .map((s) => [s.dataset.stage, s.dataset.state, s.querySelector('.step-state').textContent.split(', ').pop()]),
          producer: text('[data-field=producer]'),
          model: text('[data-field=model]'),
          confidence: text('[data-field=confidence]'),
          makerLink: q('[data-field=producer-link]')?.href ?? null,
          retailAmount: q('[data-field=retail-price]')?.dataset.amount ?? null,
          retailCurrency: q('[data-field=retail-price]')?.dataset.currency ?? null,
          retailText: text('[data-field=retail-price]'),
          material: text('[data-field=material]'),
          offerCount: Number(q('[data-field=offer-count]')?.dataset.count ?? -1),
          saleCount: Number(q('[data-field=offer-count]')?.dataset.sales ?? -1),
          countText: text('[data-field=offer-count]'),
          offerLinks: [...document.querySelectorAll('[data-field=offer] a')].map((a) => a.href),
          saleLinks: [...document.querySelectorAll('[data-field=sale] a')].map((a) => a.href),
          saleLinkClasses: [...document.querySelectorAll('[data-field=sale] a')].map((a) => a.className),
          soldMarks: [...document.querySelectorAll('[data-field=sale] [data-field=sold-mark]')].map((m) => m.textContent),
          soldMarksOnOffers: document.querySelectorAll('[data-field=offer] [data-field=sold-mark]').length,
          inEstimate: document.querySelectorAll('[data-field=in-estimate]').length,
          estimateUsed: text('[data-field=estimate-used]'),
          rangeWords: text('[data-field=estimate-range] .range-labels'),
          genericCards: [...document.querySelectorAll('#cards [data-field=generic]')].map((g) => g.closest('.card').dataset.card),
          cardTexts: Object.fromEntries([...document.querySelectorAll('#cards .card')].map((c) => [c.dataset.card, c.textContent])),
          estimateText: text('[data-field=estimate-price]'),
          estimateCurrency: q('[data-field=estimate-price]')?.dataset.currency ?? null,
          estimateMin: q('[data-field=estimate-range]')?.dataset.min ?? null,
          estimateMax: q('[data-field=estimate-range]')?.dataset.max ?? null,
          certainty: text('[data-field=certainty]'),
          chartDots: document.querySelectorAll('.price-chart circle.offer').length,
          conversion: text('[data-field=conversion]'),
          images: [...document.querySelectorAll('#cards img')]
            .map((i) => ({ src: i.getAttribute('src'), width: i.naturalWidth, done: i.complete, where: i.closest('[data-card]')?.dataset.card })),
          links: [...document.querySelectorAll('#cards a')].map((a) => ({ href: a.getAttribute('href'), rel: a.rel, target: a.target })),
        };
        """
}

/// `lens-gpt serve --demo` with a headless Chromium on its front page; `stop()` ends both.
final class FrontPage {
    let server: DemoServer
    let browser: PageBrowser
    var session: WebDriverSession { browser.session }

    init(width: Int = 1200, height: Int = 1600) throws {
        server = try DemoServer()
        do {
            browser = try PageBrowser(directory: server.directory, width: width, height: height)
        } catch {
            server.stop()
            throw error
        }
        do {
            try browser.session.navigate(to: server.baseURL + "/")
        } catch {
            stop()
            throw error
        }
    }

    func stop() {
        browser.stop()
        server.stop()
    }
}
