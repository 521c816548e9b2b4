import HTTP
import JSON
import Synchronization

/// Switchable faults of the demo world, for `serve --demo --demo-faults LIST` and the tests:
/// each one makes a replica fail the way the real service does.
public enum DemoFault: String, Sendable, CaseIterable {
    /// Google's bot check (`/sorry/index`) answers every Lens search.
    case lensBlocked = "lens-blocked"
    /// A consent wall that comes back however often "Accept all" is pressed.
    case lensConsent = "lens-consent"
    /// The results page's card titles moved to a class the profile does not know.
    case lensLayoutChanged = "lens-layout-changed"
    /// The hosted Lens API answers 503.
    case lensAPIDown = "lens-api-down"
    /// The demo LLM answers 503 (with `--demo-llm`).
    case llmDown = "llm-down"
    /// eBay's search pages (active and sold) show the bot check eBay puts before scrapers;
    /// the listing pages and eBay's API still answer.
    case ebayBlocked = "ebay-blocked"
    /// The eBay-like search renames its card classes (`s-card` → `su-item-card`), as eBay's redesigns do.
    case ebayLayoutChanged = "ebay-layout-changed"
    /// The web search replica answers every query with its bot check (DuckDuckGo's "anomaly" page).
    case webSearchBlocked = "websearch-blocked"
}

public final class DemoFaults: Sendable {
    private let active = Mutex<Set<DemoFault>>([])

    public init(_ faults: Set<DemoFault> = []) { active.withLock { $0 = faults } }

    public func isOn(_ fault: DemoFault) -> Bool { active.withLock { $0.contains(fault) } }

    public func set(_ fault: DemoFault, _ on: Bool) {
        active.withLock { if on { $0.insert(fault) } else { $0.remove(fault) } }
    }

    public var current: Set<DemoFault> { active.withLock { $0 } }

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// `lens-blocked,lens-api-down` → the faults; an unknown name is an error that lists the known ones.
    public static func parse(_ list: String) throws(Invalid) -> Set<DemoFault> {
        var faults: Set<DemoFault> = []
        for name in list.split(separator: ",") {
            let trimmed = String(name.filter { $0 != " " })
            guard let fault = DemoFault(rawValue: trimmed) else {
                throw Invalid(description: "unknown demo fault \"\(trimmed)\"; known: "
                    + DemoFault.allCases.map(\.rawValue).joined(separator: ", "))
            }
            faults.insert(fault)
        }
        return faults
    }

    /// The Lens replica as the faults make it: a redirect instead of the page, or nil to let
    /// the replica answer (`rewrite` then edits its answer).
    func lensOverride(_ head: HTTPRequestHead) -> HTTPResponse? {
        let path = head.path
        if isOn(.lensBlocked) && path == "/search" {
            return DemoFaults.redirect("/bot-check/search?" + (head.query.map(String.init) ?? ""))
        }
        if isOn(.lensConsent) && path == "/" && (head.method == "GET" || head.method == "HEAD") {
            return DemoFaults.redirect("/consent-first/consent/ml?continue=%2F&gl=DE&hl=en")
        }
        return nil
    }

    /// The shop web as the faults make it: eBay's bot check in place of its search page, or nil.
    /// With `lens-layout-changed`, the results page keeps its cards but each title sits in a
    /// class the profile's selectors do not know, as after one of Google's redesigns.
    func rewriteLens(_ head: HTTPRequestHead, _ response: HTTPResponse) -> HTTPResponse {
        guard isOn(.lensLayoutChanged), head.path == "/search" else { return response }
        var changed = response
        changed.body = DemoFaults.replace(Array(#"<div class="Yt787">"#.utf8), with: Array(#"<div class="Yt787-2026">"#.utf8), in: response.body)
        return changed
    }

    /// The shop web as the faults make it: eBay's or the web search's bot check instead of
    /// their results, or nil to let the site answer (`rewriteShop` then edits its answer).
    func shopOverride(host: String, path: String) -> HTTPResponse? {
        let botCheck: String
        if isOn(.ebayBlocked), host == DemoMarketplace.ebay.host, path == "/sch/i.html" {
            botCheck = MarketplacePages.ebayBotCheck()
        } else if isOn(.webSearchBlocked), host == ShopCatalog.webSearchHost, path.hasPrefix("/html") {
            botCheck = MarketplacePages.webSearchBotCheck()
        } else {
            return nil
        }
        return HTTPResponse(status: .ok, headers: HTTPHeaders([("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")]),
                            body: Array(botCheck.utf8))
    }

    /// With `ebay-layout-changed`, the eBay-like results keep their cards and item links, but
    /// every card class is renamed: the profile's item selector finds nothing.
    func rewriteShop(host: String, path: String, _ response: HTTPResponse) -> HTTPResponse {
        guard isOn(.ebayLayoutChanged), host == DemoMarketplace.ebay.host, path == "/sch/i.html" else { return response }
        var changed = response
        changed.body = DemoFaults.replace(Array("s-card".utf8), with: Array("su-item-card".utf8), in: response.body)
        return changed
    }

    /// The run-time switch (`POST /demo/faults?NAME=on|off&...`, on the demo world's own port):
    /// the faults now on, as JSON, or an error naming the unknown fault or value.
    func switchResponse(_ head: HTTPRequestHead) -> HTTPResponse {
        if head.method == "POST" {
            for pair in (head.query ?? "").split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, let fault = DemoFault(rawValue: parts[0]), parts[1] == "on" || parts[1] == "off" else {
                    return .error(.badRequest, code: "invalid_fault", message: "expected NAME=on|off with NAME one of "
                        + DemoFault.allCases.map(\.rawValue).joined(separator: ", ") + ", not \(pair)")
                }
                set(fault, parts[1] == "on")
            }
        } else if head.method != "GET" {
            return .error(.methodNotAllowed, code: "method_not_allowed", message: "GET or POST")
        }
        return .json(.ok, ["faults": .array(current.map(\.rawValue).sorted().map(JSONValue.string))])
    }

    static func replace(_ needle: [UInt8], with replacement: [UInt8], in bytes: [UInt8]) -> [UInt8] {
        guard !needle.isEmpty, bytes.count >= needle.count else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 256)
        var i = 0
        while i < bytes.count {
            if i + needle.count <= bytes.count && bytes[i] == needle[0] && Array(bytes[i..<(i + needle.count)]) == needle {
                out += replacement
                i += needle.count
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }

    static func redirect(_ location: String) -> HTTPResponse {
        HTTPResponse(status: HTTPStatus(302, "Found"), headers: HTTPHeaders([("Location", location), ("Cache-Control", "no-store")]))
    }
}
