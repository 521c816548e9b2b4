import Glibc
import JSON
import Outbound

/// One visual search in one browser session, following a `LensProfile`: open the start page,
/// pass a consent wall, upload the photo, wait until the result cards stop arriving, read them.
struct LensSearch {
    let profile: LensProfile
    let session: WebDriverSession
    let image: LensImage
    /// Monotonic milliseconds after which the search gives up.
    let deadline: Int

    func run() throws(LensFailure) -> [LensMatch] {
        do {
            try session.setTimeouts(scriptMillis: 10_000, pageLoadMillis: max(1_000, min(20_000, remaining)))
            try session.navigate(to: profile.startURL)
        } catch {
            throw LensFailure.from(error, during: "opening \(profile.startURL)")
        }
        try reachUploadControl()
        try upload()
        let cards = try waitForResults()
        return try extract(expecting: cards)
    }

    // MARK: steps

    /// Passes a consent wall if there is one and opens the upload panel if it is closed.
    private func reachUploadControl() throws(LensFailure) {
        let stepDeadline = min(deadline, Clock.millis() + profile.uploadTimeoutMillis)
        var consentSince: Int?
        var consentClickedAt = Int.min / 2
        var openedPanel = false
        while true {
            let state = try probe()
            if state.blocked { throw .blocked("bot check at \(state.url)") }
            if state.consent {
                let since = consentSince ?? Clock.millis()
                consentSince = since
                if Clock.millis() - since > profile.consentTimeoutMillis {
                    throw .consent("the consent wall at \(state.url) stayed after pressing accept for \(profile.consentTimeoutMillis) ms")
                }
                // One press, then time for the page to move on before pressing again.
                if Clock.millis() - consentClickedAt > 2_000 {
                    if try click(profile.consentAcceptSelectors) != nil {
                        consentClickedAt = Clock.millis()
                    } else if Clock.millis() - since > profile.consentTimeoutMillis / 2 {
                        throw .consent("no accept button of the profile on the consent wall at \(state.url)")
                    }
                }
            } else if state.input {
                return
            } else if !openedPanel, try click(profile.uploadOpenSelectors) != nil {
                openedPanel = true
            }
            guard Clock.millis() < stepDeadline else {
                if consentSince != nil { throw .consent("still on the consent wall at \(state.url)") }
                throw .timeout("no upload control (\(profile.uploadInputSelector)) at \(state.url)")
            }
            pause()
        }
    }

    private func upload() throws(LensFailure) {
        do {
            switch profile.uploadMethod {
            case .inject:
                let result = try session.execute(LensScripts.injectFile, [
                    .string(profile.uploadInputSelector), .string(Base64.encode(image.bytes)),
                    .string(image.fileName), .string(image.mimeType),
                ], timeoutMillis: 60_000)
                guard result.stringValue == "ok" else {
                    throw LensFailure.timeout("the upload control went away before the photo was set (\(result.stringValue ?? "?"))")
                }
            case .path:
                guard let path = image.path else { throw LensFailure.timeout("path upload needs the photo on disk") }
                try session.sendKeys(try session.findElement(css: profile.uploadInputSelector), path)
            }
        } catch let failure as LensFailure {
            throw failure
        } catch let error as WebDriverError {
            throw LensFailure.from(error, during: "uploading the photo")
        } catch {
            throw LensFailure.browserUnavailable("uploading the photo: \(error)")
        }
    }

    /// Waits for the results page, then until the card count has been stable for
    /// `stableMillis` (cards arrive progressively), or the page says there is nothing.
    private func waitForResults() throws(LensFailure) -> Int {
        let pageDeadline = min(deadline, Clock.millis() + profile.uploadTimeoutMillis)
        var state = try probe()
        while !(state.results && (state.cards > 0 || state.empty)) {
            if state.blocked { throw .blocked("bot check at \(state.url)") }
            if state.consent { throw .consent("a consent wall appeared after the upload at \(state.url)") }
            guard Clock.millis() < pageDeadline else {
                throw .timeout("no results page within \(profile.uploadTimeoutMillis) ms of the upload (at \(state.url))")
            }
            pause()
            state = try probe()
        }
        let resultsDeadline = min(deadline, Clock.millis() + profile.maxWaitMillis)
        var count = state.cards
        var changedAt = Clock.millis()
        while Clock.millis() < resultsDeadline {
            if state.blocked { throw .blocked("bot check at \(state.url)") }
            if count == 0 && state.empty { return 0 }
            if count > 0 && Clock.millis() - changedAt >= profile.stableMillis { return count }
            pause()
            state = try probe()
            if state.cards != count {
                count = state.cards
                changedAt = Clock.millis()
            }
        }
        return count  // the time limit: read what is there
    }

    private func extract(expecting cards: Int) throws(LensFailure) -> [LensMatch] {
        let raw: JSONValue
        do {
            raw = try session.execute(profile.extractScript, [profile.extractOptions])
        } catch {
            throw LensFailure.from(error, during: "reading the results")
        }
        var matches: [LensMatch] = []
        for item in raw.arrayValue ?? [] {
            if let match = LensMatch(raw: item, position: matches.count + 1) { matches.append(match) }
        }
        if matches.isEmpty {
            throw .noMatches(cards == 0 ? "Lens found no visual matches for this photo"
                : "\(cards) result cards, but the profile's extraction script read none of them")
        }
        return matches
    }

    // MARK: page helpers

    struct PageState {
        var url = ""
        var blocked = false
        var consent = false
        var input = false
        var results = false
        var cards = 0
        var empty = false
    }

    /// One look at the page. A page in the middle of navigating may refuse scripts: that reads
    /// as an empty state, and the caller looks again.
    private func probe() throws(LensFailure) -> PageState {
        let argument: JSONValue = [
            "blockedURL": strings(profile.blockedURLContains), "blockedSelectors": strings(profile.blockedSelectors),
            "blockedText": strings(profile.blockedTextContains),
            "consentURL": strings(profile.consentURLContains), "consentSelectors": strings(profile.consentDetectSelectors),
            "input": .string(profile.uploadInputSelector), "resultsURL": strings(profile.resultsURLContains),
            "cards": .string(profile.cardSelector),
            "emptySelectors": strings(profile.emptySelectors), "emptyText": strings(profile.emptyTextContains),
        ]
        let value: JSONValue
        do {
            value = try session.execute(LensScripts.probe, [argument], timeoutMillis: 10_000)
        } catch {
            if error.endsSession { throw LensFailure.from(error, during: "reading the page") }
            return PageState()
        }
        return PageState(url: value["url"]?.stringValue ?? "", blocked: value["blocked"]?.boolValue ?? false,
                         consent: value["consent"]?.boolValue ?? false, input: value["input"]?.boolValue ?? false,
                         results: value["results"]?.boolValue ?? false, cards: value["cards"]?.intValue ?? 0,
                         empty: value["empty"]?.boolValue ?? false)
    }

    /// Clicks the first element matching one of `selectors`; the selector used, or nil.
    private func click(_ selectors: [String]) throws(LensFailure) -> String? {
        guard !selectors.isEmpty else { return nil }
        do {
            return try session.execute(LensScripts.clickFirst, [strings(selectors)]).stringValue
        } catch {
            if error.endsSession { throw LensFailure.from(error, during: "clicking") }
            return nil
        }
    }

    private func strings(_ list: [String]) -> JSONValue { .array(list.map(JSONValue.string)) }

    private var remaining: Int { max(0, deadline - Clock.millis()) }

    private func pause() { usleep(UInt32(profile.pollMillis * 1_000)) }  // between looks at the page; the deadline bounds the loop
}

/// The photo as the search needs it.
struct LensImage {
    let bytes: [UInt8]
    /// `png`, `jpeg` or `webp`.
    let format: String
    /// Where the file is, for path upload.
    let path: String?

    var mimeType: String { "image/\(format)" }
    var fileName: String { "photo.\(format == "jpeg" ? "jpg" : format)" }
}

/// Monotonic milliseconds.
enum Clock {
    static func millis() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return now.tv_sec * 1_000 + now.tv_nsec / 1_000_000
    }
}
