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

    /// The eBay-like search results page (`/sch/i.html?_nkw=`) in eBay's 2026 result-list markup
    /// (as the saved real pages show it): `li.s-card` whose item link is `a.s-card__link`, a
    /// "view similar" `a.su-link` to another search, the screen-reader "Opens in a new window or
    /// tab" span and a "New Listing" badge inside the title, a seller's promotion above the
    /// condition, shipping as its own row, and a sponsored carousel that is not a result. On the
    /// sold-listings search each card carries its "Sold" date.
    static func ebaySearch(query: String, results: [ListingSpec], hangingFor entry: ShopEntry?) -> String {
        var items = ""
        for (index, listing) in results.enumerated() {
            // The second URL of a listing appears as its own result, as eBay's promoted copies do.
            for link in [listing.url, listing.alternateURL].compactMap({ $0 }) where listing.kind != .sold || link == listing.url {
                items += card(itemID: listing.itemID, link: link + "?hash=item\(listing.itemID)", title: listing.title,
                              price: "$\(listing.price)", wear: listing.wear, thumbnail: listing.thumbnail, newListing: index == 0,
                              promotion: index == 1 ? "30 day returns · Fast dispatch" : nil,
                              shipping: index % 2 == 0 ? "Free delivery" : "+$8.50 delivery", soldDate: listing.soldDate)
            }
        }
        if let entry {
            items += card(itemID: "990000000001", link: ShopCatalog.hangingListingURL, title: ShopCatalog.hangingListingTitle(entry),
                          price: "$70.00", wear: "Pre-owned", thumbnail: "", newListing: false, promotion: nil,
                          shipping: "+$5.00 delivery", soldDate: nil)
        }
        let carousel = """
            <li class="srp-river-answer srp-river-answer--ITEMS_CAROUSEL_WITH_COLOR"><h3>From our popular brands | Sponsored</h3>\
            <a href="http://www.ebay.example/itm/880000000001"><span>Sponsored: something else entirely</span></a></li>
            """
        let body = items.isEmpty
            ? "<div class=\"srp-save-null-search\"><h3>No exact matches found</h3></div>"
            : "<ul class=\"srp-results srp-list clearfix\">\(items.isEmpty ? "" : carousel)\(items)</ul>"
        return """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>\(Escape.html(query)) | eBay</title></head>
            <body><header class="gh-header">eBay</header><main id="mainContent">
            <h1 class="srp-controls__count-heading">\(results.count) results for \(Escape.html(query))</h1>
            \(body)</main></body></html>
            """
    }

    private static func card(itemID: String, link: String, title: String, price: String, wear: String, thumbnail: String,
                             newListing: Bool, promotion: String?, shipping: String, soldDate: String?) -> String
    {
        let similar = "http://www.ebay.example/sch/i.html?_nkw=\(Escape.component(title))&_id=\(itemID)&_sis=1"
        let caption = soldDate.map { "<div class=\"s-card__caption\"><span class=\"su-styled-text positive default\" aria-label=\"Sold Item\">Sold  \(shownDate($0))</span></div>" } ?? ""
        let badge = newListing ? "<span class=\"s-card__new-listing\">New Listing</span>" : ""
        let promo = promotion.map { "<div class=\"s-card__subtitle-row\"><div class=\"s-card__subtitle\"><span class=\"su-styled-text secondary default\">\(Escape.html($0))</span></div></div>" } ?? ""
        return """
            <li class="s-card s-card--horizontal" id="item\(itemID)" data-listingid="\(itemID)"><div class="su-card-container su-card-container--horizontal">\
            <div class="su-card-container__media"><div class="su-media__image"><a class="s-card__link image-treatment" href="\(Escape.html(link))">\
            <img class="s-card__image" src="\(Escape.html(thumbnail))" alt="\(Escape.html(title))"></a></div></div>\
            <div class="su-card-container__content"><div class="su-card-container__header">\(caption)\
            <a class="s-card__link" href="\(Escape.html(link))"><div role="heading" aria-level="3" class="s-card__title">\(badge)\
            <span class="su-styled-text primary default">\(Escape.html(title))</span><span class="clipped">Opens in a new window or tab</span></div></a>\
            \(promo)<div class="s-card__subtitle-row"><div class="s-card__subtitle"><span class="su-styled-text secondary default">\(Escape.html(wear))</span></div></div></div>\
            <div class="su-card-container__attributes"><div class="su-card-container__attributes__primary">\
            <div class="s-card__attribute-row"><span class="su-styled-text primary bold large-1 s-card__price">\(Escape.html(price))</span></div>\
            <div class="s-card__attribute-row"><span class="su-styled-text secondary large">Buy It Now</span></div>\
            <div class="s-card__attribute-row"><span class="su-styled-text secondary large">\(Escape.html(shipping))</span></div>\
            <div class="s-card__attribute-row"><span class="su-styled-text secondary large">Located in United States</span></div>\
            <div class="s-card__attribute-row"><a class="su-link" href="\(Escape.html(similar))"><span class="su-styled-text secondary large">View similar active items</span></a></div>\
            </div></div></div></div></li>
            """
    }

    /// "2026-03-06" → "Mar 6, 2026", as eBay's sold captions write it.
    static func shownDate(_ iso: String) -> String {
        let parts = iso.split(separator: "-").compactMap { Int($0) }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard parts.count == 3, (1...12).contains(parts[1]) else { return iso }
        return "\(months[parts[1] - 1]) \(parts[2]), \(parts[0])"
    }

    /// eBay's bot check, as the saved real page shows it.
    static func ebayBotCheck() -> String {
        """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pardon Our Interruption...</title></head>
        <body><header id="gh" class="gh-header">eBay Home</header><main><div class="pgHeading">
        <h1>Checking your browser before you access eBay.</h1><p>Your browser will redirect to your requested content shortly.</p>
        <p>Please wait...</p></div><form id="destForm" method="POST" action="/"><input type="hidden" id="_chlghost" value="demo"></form>
        </main></body></html>
        """
    }

    /// The web search replica in DuckDuckGo's HTML-page markup: results link through
    /// `//duckduckgo.com/l/?uddg=` redirects, an ad (`div.result--ad`, a `y.js` link) comes
    /// first, and a search with no results shows the real page's wrapper, `div.result--no-result`.
    static func webSearch(query: String, results: [(title: String, url: String, snippet: String)]) -> String {
        var items = ""
        if !results.isEmpty {
            let ad = "https://duckduckgo.com/y.js?ad_domain=nordicliving.example&ad_provider=demo&u3=\(Escape.component("http://www.nordicliving.example/sale"))"
            items += """
                <div class="result results_links results_links_deep result--ad"><div class="links_main links_deep result__body">\
                <h2 class="result__title"><a rel="nofollow" class="result__a" href="\(Escape.html(ad))">Sale: \(Escape.html(query)) and more</a></h2>\
                <a class="result__snippet" href="\(Escape.html(ad))">Ad · Up to 40% off today.</a></div></div>
                """
        }
        for result in results {
            let redirect = "//duckduckgo.com/l/?uddg=\(Escape.component(result.url))&rut=demo"
            let domain = result.url.split(separator: "/").dropFirst(1).first.map(String.init) ?? ""
            items += """
                <div class="result results_links results_links_deep web-result"><div class="links_main links_deep result__body">\
                <h2 class="result__title"><a rel="nofollow" class="result__a" href="\(Escape.html(redirect))">\(Escape.html(result.title))</a></h2>\
                <div class="result__extras"><a class="result__url" href="\(Escape.html(redirect))">\(Escape.html(domain))</a></div>\
                <a class="result__snippet" href="\(Escape.html(redirect))">\(Escape.html(result.snippet))</a></div></div>
                """
        }
        if results.isEmpty {
            items = """
                <div class="result results_links results_links_deep result--no-result"><div class="no-results">\
                No more results found for <b>\(Escape.html(query))</b>.</div></div>
                """
        }
        return """
            <!doctype html><html><head><meta charset="utf-8"><title>\(Escape.html(query)) at DuckDuckGo</title></head>
            <body><div id="links" class="results">\(items)</div></body></html>
            """
    }

    /// DuckDuckGo's bot check (the "anomaly" page), as the saved real pages show it.
    static func webSearchBotCheck() -> String {
        """
        <!doctype html><html><head><meta charset="utf-8"><title>DuckDuckGo</title></head><body>
        <div class="anomaly-modal__mask"><div class="anomaly-modal__modal"><div class="anomaly-modal__title">
        Unfortunately, bots use DuckDuckGo too.</div><div class="anomaly-modal__description">Please complete the following challenge to
        confirm this search was made by a human.</div><form id="challenge-form" action="/anomaly.js" method="POST">
        <button type="submit">Submit</button></form></div></div></body></html>
        """
    }
}
