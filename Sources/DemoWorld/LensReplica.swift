import HTTP
import JSON
import Synchronization

/// Variants of the replica, each under its own path prefix so one server offers them all and
/// a Lens profile reaches one by its start URL alone (e.g. `http://127.0.0.1:PORT/bot-check/`).
public enum LensVariant: String, Sendable, CaseIterable {
    /// Start page, upload, results.
    case normal = ""
    /// A consent wall (at `…/consent/ml`) before the start page, until "Accept all" is pressed.
    case consentFirst = "consent-first"
    /// Every search answers with the bot check at `…/sorry/index`.
    case botCheck = "bot-check"
    /// Every search finds nothing.
    case noResults = "no-results"

    public var prefix: String { self == .normal ? "" : "/" + rawValue }
}

/// What the replica has served, for tests that check a wall was really shown.
public final class LensReplicaStats: Sendable {
    public let consentShown = Atomic(0)
    public let consentAccepted = Atomic(0)
    public let searches = Atomic(0)
    public let botChecks = Atomic(0)
}

/// The offline Lens replica: pages that mirror Google's URL shapes and result-card structure
/// (LENS.md), so the shipped Google profile works against it unchanged.
struct LensReplica: Sendable {
    let stats: LensReplicaStats
    /// Value of the consent cookie this server accepts (another replica's cookie does not count).
    let consentToken: String
    /// Time between two cards appearing on the results page.
    let cardIntervalMillis: Int
    /// Greatest Hamming distance between 64-bit hashes that still counts as the same product.
    let hashThreshold = 10

    func response(_ head: HTTPRequestHead, body: [UInt8]) -> HTTPResponse? {
        var path = String(head.path)
        var variant = LensVariant.normal
        for candidate in LensVariant.allCases where candidate != .normal {
            if path == candidate.prefix || path.hasPrefix(candidate.prefix + "/") {
                variant = candidate
                path = String(path.dropFirst(candidate.prefix.count))
                break
            }
        }
        if path.isEmpty { path = "/" }
        let query = Escape.form(head.query)
        func param(_ name: String) -> String? { query.first { $0.0 == name }?.1 }

        switch (head.method, path) {
        case ("GET", "/"), ("HEAD", "/"):
            if variant == .consentFirst && !hasConsent(head) {
                stats.consentShown.add(1, ordering: .relaxed)
                return redirect("\(variant.prefix)/consent/ml?continue=\(Escape.component(head.target))&gl=DE&hl=en")
            }
            return startPage(variant)
        case ("GET", "/consent/ml"):
            let back = safeContinue(param("continue"), variant)
            return html(PageTemplate.render(DemoAssets.consentPage, ["prefix": variant.prefix, "continue": Escape.html(back)]))
        case ("POST", "/consent/save"):
            let form = Escape.form(String(decoding: body, as: UTF8.self))
            let back = safeContinue(form.first { $0.0 == "continue" }?.1, variant)
            stats.consentAccepted.add(1, ordering: .relaxed)
            var response = redirect(back, status: HTTPStatus(303, "See Other"))
            response.headers.add("Set-Cookie", "SOCS=\(consentToken); Path=\(variant.prefix.isEmpty ? "/" : variant.prefix + "/"); SameSite=Lax")
            return response
        case ("GET", "/search"):
            stats.searches.add(1, ordering: .relaxed)
            if variant == .botCheck {
                return redirect("\(variant.prefix)/sorry/index?continue=\(Escape.component(head.target))&q=EgR_AAABGO")
            }
            let product = variant == .noResults ? nil : param("lnsp").flatMap(LensCatalog.product)
            return resultsPage(variant, product: product, query: head.query.map(String.init) ?? "")
        case ("GET", "/sorry/index"):
            stats.botChecks.add(1, ordering: .relaxed)
            var page = html(PageTemplate.render(DemoAssets.sorryPage, ["url": Escape.html(param("continue") ?? "")]))
            page.status = HTTPStatus(429, "Too Many Requests")
            return page
        case ("GET", "/url"):
            guard let target = param("q") ?? param("url"), target.hasPrefix("https://") || target.hasPrefix("http://") else {
                return .error(.badRequest, code: "bad_request", message: "no target")
            }
            return redirect(target)
        default:
            return nil
        }
    }

    private func hasConsent(_ head: HTTPRequestHead) -> Bool {
        for header in head.headers.values("Cookie") {
            for pair in header.split(separator: ";") where pair.trimmingSpaces == "SOCS=\(consentToken)" { return true }
        }
        return false
    }

    /// Only paths on this server: the consent form must not become an open redirect.
    private func safeContinue(_ target: String?, _ variant: LensVariant) -> String {
        guard let target, target.hasPrefix("/"), !target.hasPrefix("//") else { return variant.prefix + "/" }
        return target
    }

    private func startPage(_ variant: LensVariant) -> HTTPResponse {
        let catalog: JSONValue = .array(LensCatalog.products.map { ["id": .string($0.id), "url": .string("/demo/samples/\($0.id).png")] })
        let config: JSONValue = ["kind": "start", "prefix": .string(variant.prefix), "catalog": catalog, "threshold": .int(hashThreshold)]
        return html(PageTemplate.render(DemoAssets.startPage, ["prefix": variant.prefix, "config": config.serialized()]))
    }

    private func resultsPage(_ variant: LensVariant, product: LensProduct?, query: String) -> HTTPResponse {
        var cards = ""
        var thumbs = JSONObject()
        if let product {
            let thumbnail = "data:image/png;base64," + DemoBase64.encode(product.thumbnail)
            for (index, match) in product.matches.enumerated() {
                let imageID = "dimg_\(index + 1)"
                thumbs[imageID] = .string(thumbnail)
                cards += card(match, imageID: imageID, variant: variant)
            }
        }
        let empty = product == nil
            ? #"<div class="card-section"><p>No matches found for this image.</p><p>Your search did not match any documents.</p></div>"#
            : ""
        let config: JSONValue = ["kind": "results", "interval": .int(cardIntervalMillis), "thumbs": .object(thumbs)]
        func tab(_ udm: Int) -> String {
            let rest = query.split(separator: "&").filter { !$0.hasPrefix("udm=") }.joined(separator: "&")
            return Escape.html("\(variant.prefix)/search?\(rest)&udm=\(udm)")
        }
        return html(PageTemplate.render(DemoAssets.resultsPage, [
            "cards": cards, "empty": empty, "config": config.serialized(),
            "tabProducts": tab(37), "tabVisual": tab(44), "tabExact": tab(48),
        ]))
    }

    /// One visual-match card in Google's 2025 structure: link `a.LBcIee` holding the thumbnail,
    /// the title `.Yt787` and the source; some prices sit outside the link.
    private func card(_ match: LensMatchSpec, imageID: String, variant: LensVariant) -> String {
        let siteLink = match.siteTracking.map { match.link + (match.link.contains("?") ? "&" : "?") + $0 } ?? match.link
        let separator = siteLink.contains("?") ? "&" : "?"
        let href: String
        if match.viaRedirect {
            let tracked = siteLink + separator + "utm_source=google&utm_medium=lens&utm_campaign=visual_matches"
            // At the root whatever the variant: the redirect's shape is Google's `/url?q=`.
            href = "/url?q=\(Escape.component(tracked))&sa=U&ved=2ahUKEwiR\(imageID)QFnoECAkQAQ&usg=AOvVaw0replica"
        } else {
            href = siteLink + separator + "srsltid=AfmBOoreplica\(imageID)"
        }
        let price = match.priceText.map { #"<span class="DdKZJb"><span aria-label="Price">\#(Escape.html($0))</span></span>"# } ?? ""
        let placeholder = "data:image/gif;base64,R0lGODlhAQABAIAAAP///////yH5BAEKAAEALAAAAAABAAEAAAICTAEAOw=="
        return """
        <div class="vEWxFf RCxtQc my5z3d" data-lpage="\(Escape.html(match.link))">\
        <a class="LBcIee" href="\(Escape.html(href))" target="_blank" rel="noopener">\
        <div class="gdOPf q07dbf uhHOwf ez24Df"><img id="\(imageID)" class="wETe9b jFVN1" alt="" src="\(placeholder)"></div>\
        <div class="ZhosBf"><div class="Yt787">\(Escape.html(match.title))</div></div>\
        <div class="R8BTeb q8U8x LJEGod du278d i0Rdmd"><span>\(Escape.html(match.source))</span></div>\
        \(match.priceOutsideLink ? "" : price)</a>\
        \(match.priceOutsideLink ? #"<div class="kWMXJb">\#(price)</div>"# : "")</div>
        """
    }

    private func html(_ body: [UInt8]) -> HTTPResponse {
        HTTPResponse(status: .ok, headers: HTTPHeaders([("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")]), body: body)
    }

    private func redirect(_ location: String, status: HTTPStatus = HTTPStatus(302, "Found")) -> HTTPResponse {
        HTTPResponse(status: status, headers: HTTPHeaders([("Location", location), ("Cache-Control", "no-store")]))
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return s
    }
}
