import Extraction
import Foundation

/// What a saved page holds, read without the browser and without the profiles: libxml2's tree
/// of the file, walked by hand. The profiles' readings in Chromium are checked against this.
struct IndependentReading {
    let document: HTMLDocument

    init(_ bytes: [UInt8]) throws { document = try HTMLDocument(html: bytes) }

    var nodes: [HTMLNode] { document.nodes }

    func classes(_ index: Int) -> Set<String> {
        Set((nodes[index].attribute("class") ?? "").split(whereSeparator: \.isWhitespace).map(String.init))
    }

    func elements(_ name: String, where test: (Int) -> Bool = { _ in true }) -> [Int] {
        document.elements(named: name).filter(test)
    }

    /// Element descendants of `index`, in document order.
    func descendants(_ index: Int) -> [Int] {
        guard index + 1 < nodes[index].end else { return [] }
        return (index + 1..<nodes[index].end).filter { nodes[$0].kind == .element }
    }

    func text(_ index: Int) -> String { document.visibleText(of: index) }

    // MARK: eBay

    /// The listings in eBay's results list: `li.s-item` / `li.s-card` children of
    /// `ul.srp-results` (not its river answers: carousels, pagination), each with its item number.
    func ebayListings() -> [(id: String, soldMark: Bool)] {
        let lists = elements("ul") { classes($0).contains("srp-results") }
        var out: [(id: String, soldMark: Bool)] = []
        for list in lists {
            for child in nodes[list].children where nodes[child].kind == .element && nodes[child].name == "li" {
                let kind = classes(child)
                guard kind.contains("s-item") || kind.contains("s-card") else { continue }
                let ids = descendants(child).compactMap { node -> String? in
                    guard nodes[node].name == "a", let href = nodes[node].attribute("href"),
                          let range = href.range(of: #"/itm/(\d+)"#, options: .regularExpression) else { return nil }
                    return String(href[range].dropFirst(5))
                }
                guard let id = ids.first else { continue }
                if nodes[child].attribute("data-listingid").map({ $0 != id }) == true { continue }
                let caption = descendants(child).first { classes($0).contains("s-card__caption") }.map(text) ?? ""
                let sold = ["Sold", "販売済み", "Verkauft"].contains { caption.contains($0) }
                out.append((id, sold))
            }
        }
        return out
    }

    // MARK: web search

    /// DuckDuckGo's HTML page: organic results (links unwrapped from `uddg`) in order, and the ads.
    func duckDuckGoResults() -> (organic: [String], ads: [String]) {
        var organic: [String] = [], ads: [String] = []
        for div in elements("div", where: { classes($0).contains("result") }) {
            let kind = classes(div)
            if kind.contains("result--no-result") { continue }
            guard let anchor = descendants(div).first(where: { nodes[$0].name == "a" && classes($0).contains("result__a") }),
                  let href = nodes[anchor].attribute("href") else { continue }
            if kind.contains("result--ad") { ads.append(href) } else { organic.append(IndependentReading.unwrapDuckDuckGo(href)) }
        }
        return (organic, ads)
    }

    /// DuckDuckGo lite: result-link anchors in rows not marked sponsored (the "more info" link of an ad too).
    func duckDuckGoLiteResults() -> (organic: [String], ads: [String]) {
        var organic: [String] = [], ads: [String] = []
        for anchor in elements("a", where: { classes($0).contains("result-link") }) {
            guard let href = nodes[anchor].attribute("href") else { continue }
            var row = nodes[anchor].parent
            while let index = row, nodes[index].name != "tr" { row = nodes[index].parent }
            if let row, classes(row).contains("result-sponsored") { ads.append(href) } else { organic.append(IndependentReading.unwrapDuckDuckGo(href)) }
        }
        return (organic, ads)
    }

    /// Bing: `li.b_algo` results, their `h2 a` links decoded from `bing.com/ck/a?...&u=a1<base64url>`.
    func bingResults() -> (organic: [String], ads: [String]) {
        let organic = elements("li") { classes($0).contains("b_algo") }.compactMap { item -> String? in
            guard let heading = descendants(item).first(where: { nodes[$0].name == "h2" }),
                  let anchor = descendants(heading).first(where: { nodes[$0].name == "a" }),
                  let href = nodes[anchor].attribute("href") else { return nil }
            return IndependentReading.decodeBing(href) ?? href
        }
        let ads = elements("li") { classes($0).contains("b_ad") }.map { String($0) }
        return (organic, ads)
    }

    /// Brave: `div.snippet` with `data-type="web"`, their first absolute link.
    func braveResults() -> [String] {
        elements("div") { classes($0).contains("snippet") && nodes[$0].attribute("data-type") == "web" }.compactMap { item in
            descendants(item).lazy.compactMap { nodes[$0].name == "a" ? nodes[$0].attribute("href") : nil }
                .first { $0.hasPrefix("http") }
        }
    }

    static func unwrapDuckDuckGo(_ href: String) -> String {
        guard let components = URLComponents(string: href.hasPrefix("//") ? "https:" + href : href),
              components.path.hasPrefix("/l/"),
              let target = components.queryItems?.first(where: { $0.name == "uddg" })?.value else { return href }
        return target
    }

    static func decodeBing(_ href: String) -> String? {
        guard let components = URLComponents(string: href), components.path.hasPrefix("/ck/a"),
              let value = components.queryItems?.first(where: { $0.name == "u" })?.value, value.hasPrefix("a1") else { return nil }
        var base64 = String(value.dropFirst(2)).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64).flatMap { String(data: $0, encoding: .utf8) }
    }
}

/// Texts no clean listing title carries: eBay's screen-reader "new window" notice and its
/// "new listing" badge, in the languages of the saved pages.
enum DirtyTitle {
    static let phrases = [
        "Opens in a new window or tab", "opens in a new window", "Wird in neuem Fenster oder Tab geöffnet",
        "新しいウィンドウまたはタブに表示されます", "S'ouvre dans une nouvelle fenêtre",
    ]
    static let prefixes = ["New Listing", "Neues Angebot", "新規出品"]

    static func isDirty(_ title: String) -> Bool {
        phrases.contains { title.localizedCaseInsensitiveContains($0) } || prefixes.contains { title.hasPrefix($0) }
    }
}
