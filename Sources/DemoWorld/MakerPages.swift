import JSON

/// The makers' product pages, one structured-data style each (`MakerPageStyle`). Every page
/// also shows its facts to people (heading, price line, description, a spec table), the way
/// real shops do, except that the script-rendered page shows its price only once its script ran.
enum MakerPages {
    static func page(_ site: MakerSite, entry: ShopEntry) -> String {
        let facts = site.facts
        let priceShown = shownPrice(facts)
        var head = "<meta charset=\"utf-8\"><title>\(Escape.html(site.title))</title>"
        head += "<meta name=\"description\" content=\"\(Escape.html(facts.description))\">"
        head += "<link rel=\"canonical\" href=\"\(Escape.html(site.url))\">"
        var productAttributes = ""
        var nameAttributes = ""
        var priceBlock = "<p class=\"price\">\(Escape.html(priceShown))</p>"
        var descriptionAttributes = ""
        var extraScripts = ""
        let image = "http://\(site.host)/img/\(entry.productID).png"

        switch site.style {
        case .jsonLDGraph:
            head += "<script type=\"application/ld+json\">\(jsonLD(site, entry: entry, image: image).serialized())</script>"
        case .microdata:
            productAttributes = " itemscope itemtype=\"https://schema.org/Product\""
            nameAttributes = " itemprop=\"name\""
            descriptionAttributes = " itemprop=\"description\""
            priceBlock = """
                <div itemprop="offers" itemscope itemtype="https://schema.org/Offer">\
                <p class="price"><span itemprop="priceCurrency" content="\(facts.currency)">$</span>\
                <span itemprop="price" content="\(facts.price)">\(facts.price)</span></p>\
                <link itemprop="availability" href="https://schema.org/InStock"></div>\
                <meta itemprop="sku" content="\(facts.sku)"><meta itemprop="gtin13" content="\(facts.gtin)">\
                <meta itemprop="brand" content="\(Escape.html(entry.brand))"><meta itemprop="material" content="\(Escape.html(facts.material))">\
                <link itemprop="image" href="\(image)">
                """
        case .openGraph:
            for (property, value) in [
                ("og:type", "product"), ("og:title", facts.name), ("og:description", facts.description), ("og:url", site.url),
                ("og:image", image), ("product:brand", entry.brand), ("product:price:amount", facts.price),
                ("product:price:currency", facts.currency), ("product:availability", "in stock"),
                ("product:retailer_item_id", facts.sku), ("product:ean", facts.gtin),
            ] {
                head += "<meta property=\"\(property)\" content=\"\(Escape.html(value))\">"
            }
        case .appState:
            let state: JSONValue = ["props": ["pageProps": ["product": appStateProduct(site, entry: entry, image: image)]],
                                    "page": "/p/[slug]", "buildId": "demo"]
            extraScripts = "<script id=\"__NEXT_DATA__\" type=\"application/json\">\(Escape.scriptJSON(state.serialized()))</script>"
        case .none:
            break
        case .scriptRendered:
            // No price, no structured data until the script has run: a fetch sees neither.
            priceBlock = "<p class=\"price\" id=\"price\">Loading price…</p>"
            let ld = jsonLD(site, entry: entry, image: image).serialized()
            extraScripts = """
                <script>
                window.addEventListener('DOMContentLoaded', function () {
                  document.getElementById('price').textContent = \(Escape.scriptString(priceShown));
                  var s = document.createElement('script');
                  s.type = 'application/ld+json';
                  s.textContent = \(Escape.scriptString(ld));
                  document.head.appendChild(s);
                });
                </script>
                """
        }

        var rows = "<tr><th>Material</th><td>\(Escape.html(facts.material))</td></tr>"
        for spec in facts.specs { rows += "<tr><th>\(Escape.html(spec.name))</th><td>\(Escape.html(spec.value))</td></tr>" }
        // The app-state page is server-rendered, as Next.js shops are: people see the same product.
        let main = """
            <main><article class="product"\(productAttributes)>\
            <nav class="crumbs"><a href="/">\(Escape.html(entry.brand))</a> › Shop</nav>\
            <h1\(nameAttributes)>\(Escape.html(facts.name))</h1>\
            \(priceBlock)\
            <button class="add-to-cart">Add to cart</button>\
            <p class="description"\(descriptionAttributes)>\(Escape.html(facts.description))</p>\
            <h2>Details</h2><table class="specs">\(rows)</table>\
            <p class="code">Article number: \(facts.sku)</p>\
            </article></main>
            """
        return """
            <!doctype html><html lang="en"><head>\(head)</head><body>\
            <header><a href="/">\(Escape.html(entry.brand))</a></header>\(main)\
            <footer>© \(Escape.html(entry.brand)) — free shipping over 50</footer>\(extraScripts)</body></html>
            """
    }

    /// "$129.00" or "22,00 €".
    static func shownPrice(_ facts: RetailFacts) -> String {
        facts.currency == "EUR" ? "\(facts.price.replacing(".", with: ",")) €" : "$\(facts.price)"
    }

    static func jsonLD(_ site: MakerSite, entry: ShopEntry, image: String) -> JSONValue {
        let facts = site.facts
        var specs: [JSONValue] = []
        for spec in facts.specs {
            specs.append(["@type": "PropertyValue", "name": .string(spec.name), "value": .string(spec.value)])
        }
        let product: JSONValue = [
            "@type": "Product", "@id": .string(site.url + "#product"), "name": .string(facts.name),
            "description": .string(facts.description), "sku": .string(facts.sku), "gtin13": .string(facts.gtin),
            "brand": ["@id": .string("http://\(site.host)/#org")], "material": .string(facts.material),
            "image": .string(image), "url": .string(site.url), "additionalProperty": .array(specs),
            "offers": ["@type": "Offer", "price": .string(facts.price), "priceCurrency": .string(facts.currency),
                       "availability": "https://schema.org/InStock", "url": .string(site.url)],
        ]
        return [
            "@context": "https://schema.org",
            "@graph": [
                ["@type": "Organization", "@id": .string("http://\(site.host)/#org"), "name": .string(entry.brand),
                 "url": .string("http://\(site.host)/")],
                ["@type": "BreadcrumbList", "itemListElement": [
                    ["@type": "ListItem", "position": 1, "name": "Shop", "item": .string("http://\(site.host)/")],
                    ["@type": "ListItem", "position": 2, "name": .string(facts.name), "item": .string(site.url)],
                ]],
                product,
            ],
        ]
    }

    static func appStateProduct(_ site: MakerSite, entry: ShopEntry, image: String) -> JSONValue {
        let facts = site.facts
        return [
            "id": .string(facts.sku), "sku": .string(facts.sku), "ean": .string(facts.gtin), "name": .string(facts.name),
            "brand": ["name": .string(entry.brand)], "description": .string(facts.description),
            "material": .string(facts.material),
            "price": ["amount": .string(facts.price), "currency": .string(facts.currency)],
            "availability": "InStock", "images": [.string(image)], "url": .string(site.url),
            "attributes": .array(facts.specs.map { ["name": .string($0.name), "value": .string($0.value)] }),
        ]
    }
}
