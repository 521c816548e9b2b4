import JSON

/// Listing pages of the three marketplaces, each in the way its real counterpart marks them
/// up: eBay with JSON-LD and an item-specifics list, Vinted with OpenGraph tags and a details
/// list, Kleinanzeigen with a title and image tag and otherwise only visible text ("119 € VB", "Zustand").
enum MarketplacePages {
    static func listing(_ listing: ListingSpec) -> String {
        switch listing.marketplace {
        case .ebay: ebay(listing)
        case .vinted: vinted(listing)
        case .kleinanzeigen: kleinanzeigen(listing)
        }
    }

    private static func ebay(_ listing: ListingSpec) -> String {
        let schemaCondition = switch listing.condition {
        case "new": "https://schema.org/NewCondition"
        case "for_parts": "https://schema.org/DamagedCondition"
        case "like_new", "very_good", "good": "https://schema.org/RefurbishedCondition"
        default: "https://schema.org/UsedCondition"
        }
        let ld: JSONValue = [
            "@context": "https://schema.org", "@type": "Product", "name": .string(listing.title),
            "image": .string(listing.thumbnail), "productID": .string(listing.itemID),
            "offers": ["@type": "Offer", "price": .string(listing.price), "priceCurrency": .string(listing.currency),
                       "itemCondition": .string(schemaCondition), "availability": "https://schema.org/InStock",
                       "url": .string(listing.url)],
        ]
        return """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>\(Escape.html(listing.title)) | eBay</title>
            <link rel="canonical" href="\(Escape.html(listing.url))">
            <script type="application/ld+json">\(Escape.scriptJSON(ld.serialized()))</script></head>
            <body><header class="gh-header">eBay — Shop by category</header>
            <main><div class="x-item-title"><h1 class="x-item-title__mainTitle"><span>\(Escape.html(listing.title))</span></h1></div>
            <div class="x-price-primary"><span class="ux-textspans">US $\(listing.price)</span></div>
            <div class="x-item-condition"><span class="ux-textspans">Condition:</span> <span class="ux-textspans">\(Escape.html(listing.wear))</span></div>
            <button>Buy It Now</button>
            <section class="x-about-this-item"><h2>Item specifics</h2>
            <dl><dt>Condition</dt><dd>\(Escape.html(listing.wear))</dd><dt>Item number</dt><dd>\(listing.itemID)</dd></dl></section>
            </main><footer>Copyright © 1995-2025 eBay Inc.</footer></body></html>
            """
    }

    private static func vinted(_ listing: ListingSpec) -> String {
        let shown = "\(listing.price.replacing(".", with: ",")) €"
        var meta = ""
        for (property, value) in [
            ("og:type", "product"), ("og:title", listing.title), ("og:url", listing.url), ("og:image", listing.thumbnail),
            ("product:price:amount", listing.price), ("product:price:currency", listing.currency),
        ] {
            meta += "<meta property=\"\(property)\" content=\"\(Escape.html(value))\">"
        }
        return """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>\(Escape.html(listing.title)) | Vinted</title>\(meta)</head>
            <body><header>Vinted</header><main><div class="item-page">
            <h1 class="web_ui__Text__title">\(Escape.html(listing.title))</h1>
            <div class="details-list__item-value" data-testid="item-price"><p>\(shown)</p></div>
            <button>Buy now</button>
            <dl class="details-list"><dt>Brand</dt><dd>\(Escape.html(listing.title.split(separator: " ").first.map(String.init) ?? ""))</dd>
            <dt>Condition</dt><dd itemprop="itemCondition">\(Escape.html(listing.wear))</dd>
            <dt>Uploaded</dt><dd>2 days ago</dd></dl>
            </div></main></body></html>
            """
    }

    private static func kleinanzeigen(_ listing: ListingSpec) -> String {
        let euros = listing.price.hasSuffix(".00") ? String(listing.price.dropLast(3)) : listing.price.replacing(".", with: ",")
        return """
            <!doctype html><html lang="de"><head><meta charset="utf-8"><title>\(Escape.html(listing.title)) | Kleinanzeigen</title>
            <meta property="og:title" content="\(Escape.html(listing.title))"><meta property="og:image" content="\(Escape.html(listing.thumbnail))"></head>
            <body><header>Kleinanzeigen</header><main><article id="viewad-main">
            <h1 id="viewad-title">\(Escape.html(listing.title))</h1>
            <h2 id="viewad-price" class="boxedarticle--price">\(euros) € VB</h2>
            <ul class="addetailslist"><li class="addetailslist--detail">Zustand<span class="addetailslist--detail--value">\(Escape.html(listing.wear))</span></li>
            <li class="addetailslist--detail">Versand<span class="addetailslist--detail--value">Versand möglich</span></li></ul>
            <p id="viewad-description-text">Privatverkauf, keine Garantie oder Rücknahme.</p>
            <button>Nachricht schreiben</button>
            </article></main></body></html>
            """
    }

    /// The eBay-like search results page (`/sch/i.html?_nkw=`), in eBay's result-list markup.
    static func ebaySearch(query: String, results: [ListingSpec], hangingFor entry: ShopEntry?) -> String {
        var items = ""
        for listing in results {
            // The second URL of a listing appears as its own result, as eBay's promoted copies do.
            for link in [listing.url, listing.alternateURL].compactMap({ $0 }) {
                items += item(link: link + "?hash=item\(listing.itemID)", title: listing.title, price: "$\(listing.price)",
                              wear: listing.wear, thumbnail: listing.thumbnail)
            }
        }
        if let entry {
            items += item(link: ShopCatalog.hangingListingURL, title: ShopCatalog.hangingListingTitle(entry), price: "$70.00",
                          wear: "Pre-owned", thumbnail: "")
        }
        let body = items.isEmpty
            ? "<div class=\"srp-save-null-search\"><h3>No exact matches found</h3></div>"
            : "<ul class=\"srp-results srp-list clearfix\">\(items)</ul>"
        return """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>\(Escape.html(query)) | eBay</title></head>
            <body><header class="gh-header">eBay</header><main id="mainContent">
            <h1 class="srp-controls__count-heading">\(results.count) results for \(Escape.html(query))</h1>
            \(body)</main></body></html>
            """
    }

    private static func item(link: String, title: String, price: String, wear: String, thumbnail: String) -> String {
        """
        <li class="s-item s-item__pl-on-bottom"><div class="s-item__wrapper">\
        <div class="s-item__image"><a href="\(Escape.html(link))"><img src="\(Escape.html(thumbnail))" alt=""></a></div>\
        <div class="s-item__info"><a class="s-item__link" href="\(Escape.html(link))">\
        <div class="s-item__title"><span role="heading">\(Escape.html(title))</span></div></a>\
        <div class="s-item__subtitle"><span class="SECONDARY_INFO">\(Escape.html(wear))</span></div>\
        <div class="s-item__details"><span class="s-item__price">\(Escape.html(price))</span></div></div></div></li>
        """
    }

    /// The web search replica in DuckDuckGo's HTML-page markup: results link through
    /// `//duckduckgo.com/l/?uddg=` redirects, as the real page does.
    static func webSearch(query: String, results: [(title: String, url: String, snippet: String)]) -> String {
        var items = ""
        for result in results {
            let redirect = "//\(ShopCatalog.webSearchHost)/l/?uddg=\(Escape.component(result.url))&rut=demo"
            let domain = result.url.split(separator: "/").dropFirst(1).first.map(String.init) ?? ""
            items += """
                <div class="result results_links results_links_deep web-result"><div class="links_main links_deep result__body">\
                <h2 class="result__title"><a rel="nofollow" class="result__a" href="\(Escape.html(redirect))">\(Escape.html(result.title))</a></h2>\
                <div class="result__extras"><a class="result__url" href="\(Escape.html(redirect))">\(Escape.html(domain))</a></div>\
                <a class="result__snippet" href="\(Escape.html(redirect))">\(Escape.html(result.snippet))</a></div></div>
                """
        }
        if items.isEmpty { items = "<div class=\"no-results\">No results.</div>" }
        return """
            <!doctype html><html><head><meta charset="utf-8"><title>\(Escape.html(query)) at DuckDuckGo</title></head>
            <body><div id="links" class="results">\(items)</div></body></html>
            """
    }
}
