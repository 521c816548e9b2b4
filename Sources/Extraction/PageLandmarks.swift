/// Where the product sits on a page without markup: the main heading and the add-to-cart
/// control. Prices, stock notices and identifiers are looked for near these.
struct PageLandmarks: Sendable {
    var heading: Int?
    var addToCart: Int?

    static let cartPhrases: [String] = [
        "add to cart", "add to bag", "add to basket", "add to trolley", "addtocart", "add-to-cart", "add_to_cart",
        "buy now", "buy it now", "in den warenkorb", "warenkorb", "ajouter au panier", "añadir al carrito",
        "agregar al carrito", "aggiungi al carrello", "in winkelwagen", "dodaj do koszyka", "в корзину",
        "kosárba", "do košíku", "lägg i varukorg", "læg i kurv", "legg i handlekurv", "ostoskoriin",
        "カートに入れる", "加入购物车", "sepete ekle", "adicionar ao carrinho", "pridať do košíka",
        "add-to-bag", "addtobag", "add to shopping bag", "ajouter au sac", "buy-now", "addtobasket",
    ]

    static let cartPhraseBytes = ByteSearch.bytes(cartPhrases)

    init(document: HTMLDocument) {
        let nodes = document.nodes
        heading = document.elements(named: "h1").first { !document.visibleText(of: $0, limit: 300).isEmpty }
        if heading == nil {
            heading = nodes.indices.first { index in
                let node = nodes[index]
                return node.kind == .element && (node.attribute("itemprop") == "name"
                    || (node.attribute("class") ?? "").lowercased().contains("product-title")
                    || (node.attribute("class") ?? "").lowercased().contains("product-name"))
            }
        }
        addToCart = nodes.indices.first { index in
            let node = nodes[index]
            guard node.kind == .element, ["button", "input", "a", "form"].contains(node.name) else { return false }
            let label = Array([node.attribute("id"), node.attribute("class"), node.attribute("name"), node.attribute("value"),
                               node.attribute("aria-label"), node.attribute("data-action"), node.attribute("action")]
                .compactMap { $0 }.joined(separator: " ").lowercased().utf8)
            if ByteSearch.containsAny(label, Self.cartPhraseBytes) { return true }
            guard node.name != "form" else { return false }
            let text = Array(document.visibleText(of: index, limit: 80).lowercased().utf8)
            return ByteSearch.containsAny(text, Self.cartPhraseBytes)
        }
    }

    /// Node-count distance to the nearer landmark; nil when the page has neither.
    func distance(to index: Int) -> Int? {
        let distances = [heading, addToCart].compactMap { $0 }.map { abs($0 - index) }
        return distances.min()
    }
}
