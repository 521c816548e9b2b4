import Glibc
import JSON
import Outbound
import SystemSupport

/// One visual search in one browser session, following a `LensProfile` on the shared
/// `BrowserEngine`: open the start page, pass a consent wall, upload the photo, wait until the
/// result cards stop arriving, read them.
struct LensSearch {
    let profile: LensProfile
    let session: WebDriverSession
    let image: LensImage
    /// Monotonic milliseconds after which the search gives up.
    let deadline: Int

    func run() throws(LensFailure) -> [LensMatch] {
        let engine = BrowserEngine(signals: profile.signals, session: session, deadline: deadline)
        do {
            try engine.open(profile.startURL)
            // The upload panel may be closed: open it once, then wait for the input.
            var openedPanel = false
            try engine.passConsent(until: profile.uploadTimeoutMillis) { () throws(BrowserRunFailure) in
                if !openedPanel, try engine.click(profile.uploadOpenSelectors) != nil { openedPanel = true }
            }
            try upload()
            let outcome = try engine.waitForResults(pageLimitMillis: profile.uploadTimeoutMillis, acceptConsent: false)
            let raw = try engine.extract(profile.extractScript, profile.extractOptions)
            let cards: Int
            switch outcome {
            case .empty, .itemLinks, .unrecognized: cards = 0
            case .items(let count): cards = count
            }
            return try matches(raw, cards: cards)
        } catch let failure as BrowserRunFailure {
            throw LensFailure(failure)
        } catch let failure as LensFailure {
            throw failure
        } catch {
            throw LensFailure.browserUnavailable("\(error)")
        }
    }

    /// Reads a results page without searching: open `url` (a saved real results page), wait
    /// for its cards, read them. For checking the profile against pages third parties saved.
    func readResults(at url: String) throws(LensFailure) -> [LensMatch] {
        let engine = BrowserEngine(signals: profile.signals, session: session, deadline: deadline)
        do throws(BrowserRunFailure) {
            try engine.open(url)
            // No upload to time: the page has the whole time limit to show its cards.
            _ = try engine.waitForResults(pageLimitMillis: engine.remaining, acceptConsent: false)
            let raw = try engine.extract(profile.extractScript, profile.extractOptions)
            return (try? matches(raw, cards: 0)) ?? []
        } catch {
            throw LensFailure(error)
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

    private func matches(_ raw: JSONValue, cards: Int) throws(LensFailure) -> [LensMatch] {
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
}

extension LensFailure {
    init(_ failure: BrowserRunFailure) {
        switch failure {
        case .blocked(let m): self = .blocked(m)
        case .consent(let m): self = .consent(m)
        case .timeout(let m): self = .timeout(m)
        case .browserUnavailable(let m): self = .browserUnavailable(m)
        }
    }
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
    static func millis() -> Int { Int(MonotonicClock.nowMillis()) }
}
