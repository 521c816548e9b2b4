/// Class, id and text words that say what a price on the page is: the product's current
/// price, an old or reference price, someone else's price, or not a price of the item at all.
enum PriceHints {
    static let positive = ["price", "preis", "prix", "precio", "prezzo", "cena", "цена", "amount", "cost"]
    static let strong = ["sale", "current", "final", "our", "now", "offer", "special", "actual", "priceblock",
                         "product-price", "price-now", "deal", "selling", "main-price", "buybox"]
    /// Marks on the element or its near ancestors. Not "list" on its own: that is also
    /// "list-unstyled", "list-inline" and other layout classes around the main price.
    static let negative = [
        "old", "was", "regular", "list-price", "listprice", "list_price", "strike", "original", "compare", "before",
        "rrp", "msrp", "uvp", "crossed", "saving", "save", "discount", "per", "unit", "installment", "instalment",
        "monthly", "month", "shipping", "delivery", "related", "recommend", "similar", "carousel", "upsell",
        "cross-sell", "crosssell", "footer", "header", "nav", "menu", "minicart", "mini-cart", "basket", "review",
        "rating", "tax", "vat", "klarna", "afterpay", "finance", "credit", "coupon", "reward", "points", "badge",
        "sponsored", "bundle", "accessor",
    ]
    /// Containers of other products' prices, at any depth: a recommendation strip or carousel
    /// often wraps its cards many levels deep, under one "recommend" or "carousel" class.
    static let elsewhere = ["related", "recommend", "similar", "carousel", "upsell", "cross-sell", "crosssell",
                            "also-bought", "also-viewed", "alsobought", "alsoviewed"]
    static let negativeText = ["/kg", "/ kg", "per ", "/100", "/ 100", "/l", "/ l", "/m", "/ml", "/st", "/ea",
                               "/unit", "each", "save", "off", "%", "review", "rating", "stars", "sterne",
                               "month", "/mo", "mtl", "monat", "x ", "×", "shipping", "versand", "delivery",
                               "livraison", "from", "ab ", "à partir", "was ", "statt", "uvp", "rrp", "list"]
    static let old = ["old", "was", "regular", "strike", "original", "compare", "before", "rrp", "msrp", "uvp",
                      "crossed", "full-price", "fullprice", "list-price", "listprice", "previous"]
    /// Classes naming a charge that is not the item's price, long enough not to occur inside
    /// other words (unlike "old" in "sold" or "nav" in "unavailable"). Such a number is never
    /// the answer, even when it is the only price in sight.
    static let notTheItem = ["shipping", "delivery", "installment", "instalment", "monthly", "saving", "unit-price",
                             "unitprice", "unit_price", "price-per", "priceper", "per-unit", "perunit", "coupon",
                             "klarna", "afterpay", "financing"]
    /// Text labels of a number that is not a price at all: an auction house's estimate.
    static let notTheItemText = ["estimate", "schätzpreis", "schätzwert", "estimation", "stima"]
    /// Labels of an auction's opening price, which bids have since overtaken.
    static let opening = ["starting price", "starting bid", "start price", "opening bid", "opening price",
                          "mindestgebot", "startpreis", "prix de départ", "mise à prix", "prezzo di partenza",
                          "precio de salida", "precio inicial"]

    static let positiveBytes = ByteSearch.bytes(positive)
    static let strongBytes = ByteSearch.bytes(strong)
    static let negativeBytes = ByteSearch.bytes(negative)
    static let elsewhereBytes = ByteSearch.bytes(elsewhere)
    static let negativeTextBytes = ByteSearch.bytes(negativeText)
    static let oldBytes = ByteSearch.bytes(old)
    static let notTheItemBytes = ByteSearch.bytes(notTheItem)
    static let notTheItemTextBytes = ByteSearch.bytes(notTheItemText)
    static let openingBytes = ByteSearch.bytes(opening)
}
