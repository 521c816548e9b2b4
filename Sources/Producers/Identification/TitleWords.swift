import JSON

/// What the words of listing and visual-match titles are, for `TitleConsensus`: which say nothing
/// about which product it is (conditions, marketplace phrases, sizes, colours, specs), which only say
/// what kind of thing it is, and which look like model or set numbers. Data, not logic: real
/// listings in English, German, French, Italian, Spanish and Japanese taught most of these lists.
enum TitleWords {
    /// Glue words: never the first or last word of a brand or a model.
    static let stop: Set<String> = [
        "the", "a", "an", "and", "or", "with", "for", "of", "by", "to", "in", "on", "at", "from", "as", "is", "are",
        "w", "&", "+", "x", "vs", "via", "per", "how", "what", "why", "your", "you", "my", "our", "this", "that", "all",
        "some", "any", "no", "not", "only", "more", "most", "very", "just", "it", "its", "be", "was", "we", "i",
        "mit", "für", "fur", "und", "oder", "der", "die", "das", "dem", "den", "des", "von", "vom", "aus", "im", "ein",
        "eine", "einer", "zum", "zur", "auf", "bei", "ohne", "inkl", "ca",
        "de", "la", "le", "les", "et", "avec", "pour", "du", "en", "un", "une", "sur", "sans",
        "il", "di", "e", "con", "da", "del", "della", "y", "el", "los", "las",
    ]

    /// Marketplace, condition, packaging, gender and size words, in the languages listings use.
    static let noise: Set<String> = MarketplaceCatalog.titleWords.union(siteFile("noise")).union([
        // selling (sites: the marketplaces' own names are in their files, the others in Resources/title-sites.json)
        "sale", "buy", "buying", "online", "shop", "store", "official", "free", "shipping", "fast", "delivery", "ship",
        "ships", "price", "prices", "review", "reviews", "best", "deal", "deals", "offer", "listing", "angebot",
        "kaufen", "verkaufen", "versand", "gratis", "kostenlos", "livraison", "gratuite", "spedizione", "envío",
        "seller", "wholesale", "wholesaler", "gift", "gifts", "geschenk", "geschenkidee", "bonus", "bonuses",
        // condition and packaging
        "new", "brand-new", "neu", "neue", "neuer", "neues", "neuf", "neuve", "nuevo", "nueva", "nuovo", "nuova",
        "used", "gebraucht", "occasion", "usato", "usado", "usada", "preowned", "pre-owned", "pre", "owned",
        "nwt", "nwot", "bnwt", "bnib", "nib", "nisb", "misb", "mib", "ovp", "sealed", "unopened", "versiegelt",
        "originalverpackt", "boxed", "unboxed", "cib", "factory", "mint", "nm", "euc", "vguc", "guc", "vgc",
        "excellent", "condition", "good", "great", "fair", "poor", "works", "working", "tested", "untested",
        "refurbished", "renewed", "generalüberholt", "b-ware", "zustand", "sehr", "gut", "guter", "gute", "wie",
        "neuwertig", "top", "super", "toll", "komplett", "vollständig", "complete", "incomplete", "defekt", "defective",
        "broken", "damaged", "damage", "flawed", "distressed", "wear", "worn", "marks", "minor", "scratches",
        "authentic", "genuine", "original", "orig", "oem", "rare", "vintage", "vtg", "vntg", "retro", "y2k",
        "limited", "exclusive", "special", "sammlerstück", "collectible", "collectors", "collector", "lot", "bundle",
        "konvolut", "sammlung", "grade", "graded", "a+", "a++", "wow", "look", "l@@k", "nr", "no-reserve", "reserve",
        "eol", "hot", "sold", "out", "empty", "leer", "only", "nur", "spares", "repair", "repairs", "parts",
        // people and sizes
        "mens", "men's", "men", "man", "herren", "homme", "hommes", "uomo", "hombre", "womens", "women's", "women",
        "woman", "damen", "femme", "femmes", "donna", "mujer", "ladies", "unisex", "kids", "kid", "kinder", "enfant",
        "boys", "boy", "girls", "girl", "baby", "youth", "adult", "adults", "erwachsene", "junior",
        "size", "sz", "größe", "grösse", "gr", "taille", "taglia", "talla",
        "xxs", "xs", "s", "m", "l", "xl", "xxl", "xxxl", "2xl", "3xl", "4xl", "5xl", "xx-large", "x-large",
        "small", "medium", "large", "extra", "petite", "tall", "plus", "one", "big", "huge", "tiny", "groß", "gross",
        "große", "grosse", "großes", "grosses", "großer", "grosser", "klein", "kleine", "kleines", "kleiner", "grand",
        "grande", "petit", "petite", "piccolo", "grande", "pequeño",
    ])

    /// Colour words: noise in a model, but a brand may start with one (Pink Floyd, Black Sabbath).
    static let colours: Set<String> = [
        "black", "white", "grey", "gray", "silver", "gold", "red", "blue", "green", "navy", "pink", "beige", "brown",
        "yellow", "orange", "purple", "cream", "khaki", "olive", "tan", "multicolor", "multicolour", "maroon",
        "burgundy", "teal", "turquoise", "ivory", "charcoal", "heather", "light", "dark", "rose", "bronze", "clear",
        "schwarz", "weiß", "weiss", "grau", "silber", "rot", "blau", "grün", "gelb", "rosa", "braun", "lila", "bunt",
        "spacegrau", "spacegray", "noir", "blanc", "gris", "rouge", "bleu", "vert", "jaune", "nero", "bianco",
        "grigio", "rosso", "blu", "verde", "negro", "blanco", "rojo", "azul",
    ]

    /// Words of technical specification: never a model on their own nor at its ends.
    static let spec: Set<String> = [
        "5g", "4g", "3g", "2g", "lte", "wifi", "wi-fi", "wlan", "cellular", "dual", "sim", "simlock", "unlocked",
        "entsperrt", "locked", "ram", "rom", "ssd", "hdd", "cpu", "gpu", "octa-core", "android", "ios", "gsm",
        "bluetooth", "usb", "usb-c", "hd", "4k", "uhd", "fhd", "nfc", "pal", "ntsc", "global", "version", "model",
        "modell", "generation", "gen", "edition",
    ]

    /// Units that belong to a model name when they follow a number ("22 L", "350 ml").
    static let units: Set<String> = [
        "l", "ml", "cl", "mm", "cm", "m", "kg", "g", "oz", "in", "inch", "zoll", "gb", "tb", "mb", "w", "v", "mah",
        "ghz", "mhz", "hz", "mp", "qt", "quart", "lb", "lbs", "pcs", "pc", "pack", "stück",
    ]

    /// What kind of thing it is, not which one: never a model name on their own (Minifigur, Hoodie).
    static let category: Set<String> = [
        // furniture, home, kitchen
        "lamp", "desk", "chair", "table", "sofa", "shelf", "light", "lighting", "lampe", "leuchte", "stuhl", "tisch",
        "mug", "cup", "bottle", "kettle", "toaster", "blender", "vacuum", "cleaner", "kitchen", "küche", "accessories",
        "accessory", "zubehör", "accessoires", "holder", "organizer", "organiser", "rack", "storage", "tray", "set",
        "sets", "tool", "tools", "gadget", "gadgets", "utensil", "utensils", "decor", "home", "household", "funnel",
        "opener", "peeler", "slicer", "cutter", "bowl", "bowls", "mixer", "towel", "towels", "sink", "mat", "pot",
        "pan", "lid", "spoon", "stainless", "steel", "wooden", "wood", "silicone", "plastic", "metal", "glass",
        // clothing and shoes
        "shoe", "shoes", "sneaker", "sneakers", "boot", "boots", "trainer", "trainers", "running", "trail", "schuhe",
        "jacket", "coat", "shirt", "t-shirt", "tee", "dress", "jeans", "hoodie", "hooded", "hoody", "sweatshirt",
        "sweater", "sweat", "pullover", "crewneck", "crew", "neck", "sweatpants", "joggers", "pants", "shorts",
        "fleece", "cardigan", "jumper", "top", "vest", "jacke", "hose", "kapuzenpullover", "veste", "pull",
        "chaussures", "sac", "bag", "backpack", "rucksack", "tasche", "cap", "hat", "sleeve", "long", "zip", "quarter",
        "leather", "canvas", "cotton", "wool", "heavyweight", "logo", "print", "graphic", "embroidered", "patch",
        "college", "university", "streetwear", "athletic", "apparel",
        // electronics
        "headphones", "headphone", "earbuds", "earphones", "wireless", "noise", "cancelling", "canceling", "over-ear",
        "on-ear", "kopfhörer", "watch", "uhr", "chronograph", "phone", "smartphone", "cellphone", "mobile", "handy",
        "telephone", "laptop", "notebook", "tablet", "computer", "pc", "camera", "kamera", "lens", "objektiv",
        "speaker", "console", "konsole", "controller", "charger", "cable", "kabel", "ladekabel", "adapter", "case",
        "cover", "hülle", "screen", "protector", "dock", "stand", "led", "keyboard", "tastatur", "mouse", "maus",
        // toys, media, vehicles
        "minifigur", "minifiguren", "minifigure", "minifigures", "minifig", "figur", "figuren", "figure", "figures",
        "spielzeug", "toy", "toys", "bausatz", "bauset", "baustein", "bausteine", "klemmbausteine", "bricks",
        "anleitung", "instructions", "schiff", "piratenschiff", "teile", "pieces", "piece", "stück", "game", "games", "spiel", "spiele",
        "vinyl", "lp", "lps", "cd", "cds", "dvd", "dvds", "blu-ray", "bluray", "blu", "record", "records", "album",
        "box", "boxset", "book", "booklet", "cassette", "vhs", "disc", "disk", "single", "singles", "deluxe",
        "remix", "remaster", "remastered", "reissue", "import", "press", "pressing", "anniversary",
        "car", "auto", "vehicle", "parts", "part", "engine", "door", "panel", "trim", "bike", "bicycle", "fahrrad",
        "helmet", "office", "office-chair",
    ]

    /// Phrases that marketplaces add to titles (screen-reader text, badges) and that name nothing.
    static let interfacePhrases: [[String]] = [
        ["opens", "in", "a", "new", "window", "or", "tab"], ["new", "listing"], ["neues", "angebot"],
        ["nouvelle", "annonce"], ["nuova", "inserzione"], ["in", "neuem", "fenster", "oder", "tab", "öffnen"],
        ["wird", "in", "neuem", "fenster", "oder", "tab", "geöffnet"], ["新しいウィンドウまたはタブに表示されます"],
        ["s'ouvre", "dans", "une", "nouvelle", "fenêtre", "ou", "un", "nouvel", "onglet"],
    ] + MarketplaceCatalog.titlePhrases

    /// Sites whose name ends a title ("… | Marketplace", "… - Store.com"), besides the match's own source.
    static let siteWords: Set<String> = MarketplaceCatalog.titleWords.union(siteFile("title_endings"))

    /// A list of `Resources/title-sites.json`.
    static func siteFile(_ key: String) -> [String] {
        ((try? JSONParser.parse(PackageResources.title_sites_json))?[key]?.arrayValue ?? []).compactMap(\.stringValue)
    }

    static func isAllDigits(_ word: String) -> Bool { !word.isEmpty && word.allSatisfy(\.isNumber) }

    /// A year (1950–2039), a decade ("90s", "80's", "2000's") or a range of them ("98-10", "2003-2010").
    static func isYearish(_ word: String) -> Bool {
        if isAllDigits(word), word.count == 4, let year = Int(word) { return (1950...2039).contains(year) }
        var trimmed = Substring(word)
        for suffix in ["'s", "s"] where trimmed.hasSuffix(suffix) {
            trimmed = trimmed.dropLast(suffix.count)
            if trimmed.first == "'" { trimmed = trimmed.dropFirst() }
            return isAllDigits(String(trimmed)) && (trimmed.count == 2 || trimmed.count == 4) && trimmed.hasSuffix("0")
        }
        let parts = word.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 2, parts.allSatisfy({ isAllDigits(String($0)) && ($0.count == 2 || $0.count == 4) }) { return true }
        return false
    }

    /// A number with a unit written together ("128gb", "8gb+128gb", "2.5l", "6.7in"), or a
    /// pixel count or other measure; these describe a variant, not the model.
    static func isMeasure(_ word: String) -> Bool {
        let lower = word
        guard lower.first?.isNumber == true else { return false }
        // 8gb+128gb, 16gb/256gb: every part a measure.
        let parts = lower.split(whereSeparator: { $0 == "+" || $0 == "/" })
        if parts.count > 1 { return parts.allSatisfy { isMeasure(String($0)) || isAllDigits(String($0)) } }
        let digits = lower.prefix { $0.isNumber || $0 == "." || $0 == "," }
        let unit = String(lower.dropFirst(digits.count))
        return units.contains(unit) || ["g", "gb", "tb", "mp", "k", "p", "x", "''", "\"", "pcs", "er", "pk"].contains(unit)
    }

    /// Looks like a model, set or part number: letters and digits together ("wh-1000xm4", "a1398",
    /// "s21") or a number of three or more digits that is not a year ("7075", "75639").
    static func isIdentifier(_ word: String) -> Bool {
        guard word.count >= 3, !isYearish(word), !isMeasure(word), !spec.contains(word) else { return false }
        let hasDigit = word.contains(where: \.isNumber)
        let hasLetter = word.contains(where: \.isLetter)
        return hasDigit && (hasLetter || word.filter(\.isNumber).count >= 3)
    }

    /// Carries no product meaning on its own.
    static func isFiller(_ word: String) -> Bool {
        stop.contains(word) || noise.contains(word) || colours.contains(word) || spec.contains(word)
            || isYearish(word) || isMeasure(word)
    }

    /// Names something: not filler, not a category word, and not a bare small number.
    static func isContent(_ word: String) -> Bool {
        guard !isFiller(word), !category.contains(word) else { return false }
        if isAllDigits(word) { return word.count >= 3 }
        return word.contains(where: { $0.isLetter || $0.isNumber })
    }
}
