import Glibc
import JSON
import SystemSupport

/// How to drive one visual-search site, as data: where to start, how to pass a consent wall,
/// how to upload, when results are complete, how to read them, and what a bot check looks
/// like. The shipped default is Google Lens (`Resources/google-lens.json`); another file can
/// replace it (`--lens-profile`) so a changed selector needs no rebuild.
public struct LensProfile: Sendable {
    public enum UploadMethod: String, Sendable {
        /// The image travels inside a WebDriver script and becomes a `File` in the page, so a
        /// browser in another container needs no access to our files.
        case inject
        /// WebDriver "send keys" of the upload's path: only when the browser sees our files
        /// (same machine or a shared volume at the same path).
        case path
    }

    public var name: String
    public var startURL: String
    public var consentURLContains: [String]
    public var consentDetectSelectors: [String]
    public var consentAcceptSelectors: [String]
    public var consentTimeoutMillis: Int
    public var blockedURLContains: [String]
    public var blockedTextContains: [String]
    public var blockedSelectors: [String]
    public var uploadMethod: UploadMethod
    public var uploadOpenSelectors: [String]
    public var uploadInputSelector: String
    public var uploadTimeoutMillis: Int
    public var resultsURLContains: [String]
    public var cardSelector: String
    public var emptySelectors: [String]
    public var emptyTextContains: [String]
    /// Results are complete when the card count has not changed for this long...
    public var stableMillis: Int
    public var pollMillis: Int
    /// ...or when this much time has passed since the results page appeared.
    public var maxWaitMillis: Int
    /// Handed to the extraction script as its only argument (selectors, price pattern, limits).
    public var extractOptions: JSONValue
    public var extractScript: String

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// The shipped Google Lens profile.
    public static func googleLens() throws(Invalid) -> LensProfile {
        try parse(PackageResources.google_lens_json, origin: "the built-in Google Lens profile")
    }

    /// The shipped profile as text, for `lens-gpt lens --print-profile` and editing.
    public static var googleLensText: String { String(decoding: PackageResources.google_lens_json, as: UTF8.self) }

    public static func load(path: String) throws(Invalid) -> LensProfile {
        guard let bytes = readFile(path, limit: 1 << 20) else {
            throw Invalid(description: "cannot read the Lens profile \(path)")
        }
        return try parse(bytes, origin: path)
    }

    public static func parse(_ bytes: [UInt8], origin: String) throws(Invalid) -> LensProfile {
        let root: JSONValue
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            throw Invalid(description: "\(origin): \(error)")
        }
        let reader = ProfileFieldReader(root: root, origin: origin) { LensProfile.Invalid(description: $0) }
        let startURL = try reader.string("start_url")
        let methodName = try reader.string("upload", "method", default: "inject")
        guard let method = UploadMethod(rawValue: methodName) else {
            throw Invalid(description: "\(origin): upload.method must be \"inject\" or \"path\", not \"\(methodName)\"")
        }
        var options = root["extract"]?.objectValue ?? JSONObject()
        options["script"] = nil
        let cardSelector = try reader.string("results", "card_selector")
        if options["selectors"]?["card"] == nil {
            var selectors = options["selectors"]?.objectValue ?? JSONObject()
            selectors["card"] = .string(cardSelector)
            options["selectors"] = .object(selectors)
        }
        options["max"] = .int(try reader.int("extract", "max_matches", default: 40))
        if options["climb"] == nil { options["climb"] = 4 }
        guard options["price_pattern"]?.stringValue != nil else {
            throw Invalid(description: "\(origin): extract.price_pattern is missing")
        }
        let script: String
        switch root["extract"]?["script"] {
        case .string(let text): script = text
        case .array(let lines): script = lines.compactMap(\.stringValue).joined(separator: "\n")
        default: throw Invalid(description: "\(origin): extract.script is missing (a string, or an array of lines)")
        }
        return LensProfile(
            name: try reader.string("name", default: "lens"),
            startURL: startURL,
            consentURLContains: try reader.strings("consent", "url_contains"),
            consentDetectSelectors: try reader.strings("consent", "detect_selectors"),
            consentAcceptSelectors: try reader.strings("consent", "accept_selectors"),
            consentTimeoutMillis: try reader.int("consent", "timeout_ms", default: 8_000),
            blockedURLContains: try reader.strings("blocked", "url_contains"),
            blockedTextContains: try reader.strings("blocked", "text_contains"),
            blockedSelectors: try reader.strings("blocked", "selectors"),
            uploadMethod: method,
            uploadOpenSelectors: try reader.strings("upload", "open_selectors"),
            uploadInputSelector: try reader.string("upload", "input_selector", default: "input[type=\"file\"]"),
            uploadTimeoutMillis: try reader.int("upload", "timeout_ms", default: 15_000),
            resultsURLContains: try reader.strings("results", "url_contains"),
            cardSelector: cardSelector,
            emptySelectors: try reader.strings("results", "empty_selectors"),
            emptyTextContains: try reader.strings("results", "empty_text"),
            stableMillis: try reader.int("results", "stable_ms", default: 700),
            pollMillis: max(10, try reader.int("results", "poll_ms", default: 100)),
            maxWaitMillis: try reader.int("results", "max_wait_ms", default: 10_000),
            extractOptions: .object(options),
            extractScript: script)
    }

    /// Cards read at most (`extract.max_matches`; `--max-matches` overrides it).
    public var maxMatches: Int { extractOptions["max"]?.intValue ?? 40 }

    /// The same profile reading at most `count` cards.
    public func readingAtMost(_ count: Int) -> LensProfile {
        var copy = self
        if var options = extractOptions.objectValue {
            options["max"] = .int(max(1, count))
            copy.extractOptions = .object(options)
        }
        return copy
    }

    /// What the browser engine watches for on Lens's pages.
    var signals: PageSignals {
        PageSignals(blockedURLContains: blockedURLContains, blockedTextContains: blockedTextContains, blockedSelectors: blockedSelectors,
                    consentURLContains: consentURLContains, consentDetectSelectors: consentDetectSelectors,
                    consentAcceptSelectors: consentAcceptSelectors, consentTimeoutMillis: consentTimeoutMillis,
                    readySelector: uploadInputSelector, resultsURLContains: resultsURLContains, itemSelector: cardSelector,
                    emptySelectors: emptySelectors, emptyTextContains: emptyTextContains, stableMillis: stableMillis,
                    pollMillis: pollMillis, maxWaitMillis: maxWaitMillis)
    }

    /// The same profile starting elsewhere (`--lens-url`, e.g. the offline replica).
    public func startingAt(_ url: String) -> LensProfile {
        var copy = self
        copy.startURL = url
        return copy
    }

    static func readFile(_ path: String, limit: Int) -> [UInt8]? { try? BoundedFile.read(path, limit: limit).get() }
}
