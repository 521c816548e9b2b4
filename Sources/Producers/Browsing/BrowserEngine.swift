import Glibc
import JSON
import Outbound
import Secrets

/// What a profile says about the pages it drives: what a bot check and a consent wall look
/// like, when the page is ready for the next step, and when its results are complete. Both the
/// Lens profile and the search profiles are read into this one shape, so one engine runs them.
struct PageSignals: Sendable {
    /// Matched against the page's origin and path only, never its query: a search for
    /// "challenge bag" must not read as a bot check.
    var blockedURLContains: [String] = []
    var blockedTextContains: [String] = []
    var blockedSelectors: [String] = []
    var consentURLContains: [String] = []
    var consentDetectSelectors: [String] = []
    var consentAcceptSelectors: [String] = []
    var consentTimeoutMillis = 8_000
    /// Present when the page is ready for the next step (Lens: the upload input).
    var readySelector: String?
    /// The results page's URL contains one of these (empty: any page is the results page).
    var resultsURLContains: [String] = []
    var itemSelector: String
    /// What the site's item links look like (a regular expression on the link's path): when the
    /// item selector finds nothing but the page has at least `minItemLinks` such links, the
    /// results are read around them (a layout change costs precision, not every answer).
    var itemLinkPattern: String?
    var minItemLinks = 3
    var emptySelectors: [String] = []
    var emptyTextContains: [String] = []
    /// Results are complete when the item count has not changed for this long...
    var stableMillis = 300
    var pollMillis = 100
    /// ...or this long after the results page appeared.
    var maxWaitMillis = 8_000
}

/// Why a browser run ended without results; each caller maps these to its own stage codes.
enum BrowserRunFailure: Error, Sendable {
    case blocked(String)
    case consent(String)
    case timeout(String)
    case browserUnavailable(String)

    static func from(_ error: WebDriverError, during step: String) -> BrowserRunFailure {
        switch error.code {
        case .timeout, .scriptTimeout: .timeout("\(step): \(error.message)")
        default: .browserUnavailable("\(step): \(error.description)")
        }
    }
}

/// The one browser engine behind every profile: open → pass consent → (the caller uploads or
/// has queried by URL) → wait until results stop changing → extract, telling a bot check and an
/// empty result apart on the way. Written once for Lens and for every search profile.
struct BrowserEngine {
    let signals: PageSignals
    let session: WebDriverSession
    /// Monotonic milliseconds after which the run gives up.
    let deadline: Int
    /// The longest wait for one page's load event.
    let pageLoadLimitMillis: Int

    init(signals: PageSignals, session: WebDriverSession, deadline: Int, pageLoadLimitMillis: Int = 15_000) {
        self.signals = signals
        self.session = session
        self.deadline = deadline
        self.pageLoadLimitMillis = pageLoadLimitMillis
    }

    struct PageState: Sendable {
        var url = ""
        var blocked = false
        var consent = false
        var ready = false
        var results = false
        var items = 0
        /// Distinct links of the profile's item-link pattern on the page.
        var itemLinks = 0
        var empty = false
        /// The document finished loading (`document.readyState` is `complete`).
        var loaded = false
    }

    /// How the wait for results ended.
    enum Results: Equatable {
        case items(Int)
        case empty
        /// The item selector found nothing but the page has this many item links (read them with the fallback).
        case itemLinks(Int)
        /// A loaded page with no items, no item links, no empty marker and no bot check (at this URL).
        case unrecognized(String)
    }

    var remaining: Int { max(0, deadline - Clock.millis()) }

    /// The blank page a browser session starts on (or is reset to), before any navigation shows.
    static func isStartPage(_ url: String) -> Bool {
        url.isEmpty || url.hasPrefix("data:") || url.hasPrefix("about:blank")
    }

    /// Opens `url`. A page whose load event never comes (a tracker that hangs, a busy machine)
    /// is not a failure by itself: its document is there, and the waits that follow decide. A
    /// browser still on the page it was on before (the new page never started to arrive) did
    /// not open `url` at all: that is reported as such, not later as a page missing its controls.
    func open(_ url: String) throws(BrowserRunFailure) {
        let step = "opening \(MessageURL.display(url))"
        let pageLoadMillis = max(1_000, min(pageLoadLimitMillis, remaining))
        let started = Clock.millis()
        let before: String
        do {
            before = try session.currentURL()
        } catch {
            throw BrowserRunFailure.from(error, during: step)
        }
        do {
            try session.setTimeouts(scriptMillis: 10_000, pageLoadMillis: pageLoadMillis)
            try session.navigate(to: url)
        } catch {
            guard error.code == .timeout && remaining > 0 else { throw BrowserRunFailure.from(error, during: step) }
            // No load event yet. A browser that has left the page it was on has the new document
            // (the waits that follow decide); one still on it waits for the page to start arriving,
            // up to the run's deadline (a busy machine or server can take longer than one load).
            var now = (try? session.currentURL()) ?? before
            while now == before && before != url && remaining > 0 {
                pause()
                now = (try? session.currentURL()) ?? before
            }
            if now == before && before != url {
                throw .timeout("\(step): the page did not arrive within \(Clock.millis() - started) ms; the browser is still on "
                    + (BrowserEngine.isStartPage(before) ? "its blank page" : MessageURL.display(before)))
            }
        }
    }

    /// Passes a consent wall if there is one and waits until the ready selector is on the page;
    /// `nudge` runs on each look that shows neither (Lens opens its upload panel there).
    func passConsent(until limitMillis: Int, nudge: () throws(BrowserRunFailure) -> Void) throws(BrowserRunFailure) {
        let stepDeadline = min(deadline, Clock.millis() + limitMillis)
        var consent = ConsentPasser(signals: signals)
        while true {
            let state = try probe()
            if state.blocked { throw .blocked("bot check at \(state.url)") }
            if state.consent {
                try consent.press(on: state, engine: self)
            } else if state.ready {
                return
            } else {
                try nudge()
            }
            guard Clock.millis() < stepDeadline else {
                if consent.seen { throw .consent("still on the consent wall at \(state.url)") }
                throw .timeout("no \(signals.readySelector ?? "ready page") at \(state.url)")
            }
            pause()
        }
    }

    /// Waits for the results page (within `pageLimitMillis`), then until the item count has been
    /// stable for `stableMillis` (results arrive progressively) or the page says there are none.
    /// `acceptConsent`: a consent wall here is passed (a search's first page) rather than a failure
    /// (Lens after the upload). At the time limit, what is there counts.
    func waitForResults(pageLimitMillis: Int, acceptConsent: Bool, unrecognizedAtLimit: Bool = false) throws(BrowserRunFailure) -> Results {
        // The page's time starts once the browser shows the page: a browser too busy to leave
        // its blank start page (a loaded machine) is bounded by the run's deadline, and is not
        // reported as a page with no results.
        var pageDeadline: Int?
        var consent = ConsentPasser(signals: signals)
        var state = try probe()
        while !(state.results && (state.items > 0 || state.empty || state.itemLinks >= signals.minItemLinks)) {
            if state.blocked { throw .blocked("bot check at \(state.url)") }
            if state.consent {
                guard acceptConsent else { throw .consent("a consent wall appeared at \(state.url)") }
                try consent.press(on: state, engine: self)
            }
            if pageDeadline == nil && !BrowserEngine.isStartPage(state.url) {
                pageDeadline = min(deadline, Clock.millis() + pageLimitMillis)
            }
            guard Clock.millis() < (pageDeadline ?? deadline) else {
                if consent.seen { throw .consent("still on the consent wall at \(state.url)") }
                // A page that loaded and shows none of what the profile knows is a finding, not a slow page.
                if unrecognizedAtLimit && pageDeadline != nil && state.loaded && !state.consent { return .unrecognized(state.url) }
                throw .timeout("no results at \(state.url) within \(pageLimitMillis) ms")
            }
            pause()
            state = try probe()
        }
        let resultsDeadline = min(deadline, Clock.millis() + signals.maxWaitMillis)
        // What is counted: the items, or while the item selector finds none, the item links.
        func measure(_ state: PageState) -> Int { state.items > 0 ? state.items : -state.itemLinks }
        var count = measure(state)
        var changedAt = Clock.millis()
        func settled(_ state: PageState) -> Results? {
            if state.items > 0 { return .items(state.items) }
            if state.empty { return .empty }
            return state.itemLinks >= signals.minItemLinks ? .itemLinks(state.itemLinks) : nil
        }
        while Clock.millis() < resultsDeadline {
            if state.blocked { throw .blocked("bot check at \(state.url)") }
            if state.items == 0 && state.empty { return .empty }
            if count != 0 && Clock.millis() - changedAt >= signals.stableMillis, let done = settled(state) { return done }
            // The next look is at the moment the count will have been stable long enough, when that comes before the next poll.
            let untilStable = signals.stableMillis - (Clock.millis() - changedAt)
            pause(count != 0 && untilStable > 0 ? untilStable : nil)
            state = try probe()
            if measure(state) != count {
                count = measure(state)
                changedAt = Clock.millis()
            }
        }
        return settled(state) ?? .items(0)
    }

    /// Runs the profile's extraction script with its options.
    func extract(_ script: String, _ options: JSONValue) throws(BrowserRunFailure) -> JSONValue {
        do {
            return try session.execute(script, [options], timeoutMillis: 20_000)
        } catch {
            throw BrowserRunFailure.from(error, during: "reading the results")
        }
    }

    /// One look at the page. A page in the middle of navigating may refuse scripts: that reads
    /// as an empty state, and the caller looks again.
    func probe() throws(BrowserRunFailure) -> PageState {
        let argument: JSONValue = [
            "blockedURL": strings(signals.blockedURLContains), "blockedSelectors": strings(signals.blockedSelectors),
            "blockedText": strings(signals.blockedTextContains),
            "consentURL": strings(signals.consentURLContains), "consentSelectors": strings(signals.consentDetectSelectors),
            "ready": signals.readySelector.map(JSONValue.string) ?? .null, "resultsURL": strings(signals.resultsURLContains),
            "items": .string(signals.itemSelector), "itemLink": signals.itemLinkPattern.map(JSONValue.string) ?? .null,
            "emptySelectors": strings(signals.emptySelectors), "emptyText": strings(signals.emptyTextContains),
        ]
        let value: JSONValue
        do {
            value = try session.execute(PageScripts.probe, [argument], timeoutMillis: 10_000)
        } catch {
            if error.endsSession { throw BrowserRunFailure.from(error, during: "reading the page") }
            return PageState()
        }
        return PageState(url: value["url"]?.stringValue ?? "", blocked: value["blocked"]?.boolValue ?? false,
                         consent: value["consent"]?.boolValue ?? false, ready: value["ready"]?.boolValue ?? false,
                         results: value["results"]?.boolValue ?? false, items: value["items"]?.intValue ?? 0,
                         itemLinks: value["itemLinks"]?.intValue ?? 0, empty: value["empty"]?.boolValue ?? false,
                         loaded: value["loaded"]?.boolValue ?? false)
    }

    /// Clicks the first element matching one of `selectors`; the selector used, or nil.
    func click(_ selectors: [String]) throws(BrowserRunFailure) -> String? {
        guard !selectors.isEmpty else { return nil }
        do {
            return try session.execute(PageScripts.clickFirst, [strings(selectors)]).stringValue
        } catch {
            if error.endsSession { throw BrowserRunFailure.from(error, during: "clicking") }
            return nil
        }
    }

    private func strings(_ list: [String]) -> JSONValue { .array(list.map(JSONValue.string)) }

    /// Between looks at the page; the deadline bounds the loop.
    func pause(_ millis: Int? = nil) { usleep(UInt32(max(1, min(millis ?? signals.pollMillis, signals.pollMillis)) * 1_000)) }
}

/// Presses a consent wall's accept button once, then gives the page time to move on before
/// pressing again; gives up after the profile's consent time.
private struct ConsentPasser {
    let signals: PageSignals
    var since: Int?
    var clickedAt = Int.min / 2

    init(signals: PageSignals) { self.signals = signals }

    var seen: Bool { since != nil }

    mutating func press(on state: BrowserEngine.PageState, engine: BrowserEngine) throws(BrowserRunFailure) {
        let started = since ?? Clock.millis()
        since = started
        if Clock.millis() - started > signals.consentTimeoutMillis {
            throw .consent("the consent wall at \(state.url) stayed after pressing accept for \(signals.consentTimeoutMillis) ms")
        }
        guard Clock.millis() - clickedAt > 2_000 else { return }
        if try engine.click(signals.consentAcceptSelectors) != nil {
            clickedAt = Clock.millis()
        } else if Clock.millis() - started > signals.consentTimeoutMillis / 2 {
            throw .consent("no accept button of the profile on the consent wall at \(state.url)")
        }
    }
}

/// Page scripts that are mechanism, not site knowledge: everything site-specific comes from
/// the profile as their argument.
enum PageScripts {
    /// Where the page is and what it shows: bot check, consent wall, ready control, result items.
    static let probe = """
        var p = arguments[0];
        var href = String(location.href);
        var place = String(location.origin) + String(location.pathname);
        var text = '';
        try { text = (document.body && document.body.innerText) || ''; } catch (e) {}
        function any(list) {
          for (var i = 0; i < list.length; i++) { try { if (document.querySelector(list[i])) return true; } catch (e) {} }
          return false;
        }
        function has(list, s) { for (var i = 0; i < list.length; i++) if (s.indexOf(list[i]) >= 0) return true; return false; }
        var items = 0;
        try { items = document.querySelectorAll(p.items).length; } catch (e) {}
        var itemLinks = 0;
        if (p.itemLink && items === 0) {
          try {
            var re = new RegExp(p.itemLink), seen = {}, anchors = document.querySelectorAll('a[href]');
            for (var a = 0; a < anchors.length; a++) {
              var path = anchors[a].pathname || '';
              if (re.test(path) && !seen[path]) { seen[path] = true; itemLinks++; }
            }
          } catch (e) {}
        }
        return { url: href, itemLinks: itemLinks, loaded: document.readyState === 'complete',
          blocked: has(p.blockedURL, place) || any(p.blockedSelectors) || has(p.blockedText, text),
          consent: has(p.consentURL, href) || any(p.consentSelectors),
          ready: p.ready ? any([p.ready]) : true,
          results: p.resultsURL.length === 0 || has(p.resultsURL, href), items: items,
          empty: any(p.emptySelectors) || has(p.emptyText, text) };
        """

    /// Clicks the first element found for a list of selectors (a script click works on
    /// elements a WebDriver click calls not interactable).
    static let clickFirst = """
        var list = arguments[0];
        for (var i = 0; i < list.length; i++) {
          var e = null;
          try { e = document.querySelector(list[i]); } catch (x) {}
          if (e) { e.click(); return list[i]; }
        }
        return null;
        """
}
