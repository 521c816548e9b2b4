/// Brands the deterministic identification recognises, with the spellings titles use. Data, not
/// logic: add a line to teach it a brand. Canonical name first, then lowercase aliases (words are
/// split at hyphens between letters, so "Ray-Ban" is "ray ban"); `lines` below lists product lines
/// that name their maker but belong to the model ("iPad").
public enum BrandCatalog {
    static let entries: [(name: String, aliases: [String])] = [
        ("Apple", ["apple"]), ("Samsung", ["samsung"]),
        ("Sony", ["sony"]), ("Bose", ["bose"]), ("Sennheiser", ["sennheiser"]), ("JBL", ["jbl"]),
        ("Beats", ["beats", "beats by dre"]), ("Google", ["google"]), ("Microsoft", ["microsoft"]),
        ("Nintendo", ["nintendo", "ニンテンドー", "任天堂"]), ("Canon", ["canon"]), ("Nikon", ["nikon"]), ("Fujifilm", ["fujifilm", "fuji"]),
        ("Panasonic", ["panasonic"]), ("GoPro", ["gopro"]), ("DJI", ["dji"]), ("Dell", ["dell"]),
        ("HP", ["hp", "hewlett packard"]), ("Lenovo", ["lenovo"]), ("Asus", ["asus"]), ("Acer", ["acer"]),
        ("LG", ["lg"]), ("Philips", ["philips"]), ("Dyson", ["dyson"]), ("Bosch", ["bosch"]), ("Makita", ["makita"]),
        ("DeWalt", ["dewalt"]), ("Milwaukee", ["milwaukee"]), ("KitchenAid", ["kitchenaid", "kitchen aid"]), ("Nespresso", ["nespresso"]),
        ("De'Longhi", ["delonghi", "de'longhi", "de longhi"]), ("Breville", ["breville"]), ("Le Creuset", ["le creuset"]),
        ("Nike", ["nike"]), ("Adidas", ["adidas"]), ("Puma", ["puma"]), ("New Balance", ["new balance"]), ("Asics", ["asics"]),
        ("Reebok", ["reebok"]), ("Converse", ["converse"]), ("Vans", ["vans"]), ("Salomon", ["salomon"]),
        ("Dr. Martens", ["dr martens", "dr. martens", "doc martens"]), ("Birkenstock", ["birkenstock"]),
        ("Timberland", ["timberland"]), ("UGG", ["ugg"]), ("Crocs", ["crocs"]), ("Hoka", ["hoka", "hoka one one"]),
        ("On", ["on running"]), ("Patagonia", ["patagonia"]), ("The North Face", ["the north face", "north face", "tnf"]),
        ("Arc'teryx", ["arc'teryx", "arcteryx"]), ("Columbia", ["columbia"]), ("Canada Goose", ["canada goose"]),
        ("Levi's", ["levi's", "levis", "levi"]), ("Ralph Lauren", ["ralph lauren", "polo ralph lauren"]),
        ("Tommy Hilfiger", ["tommy hilfiger"]), ("Calvin Klein", ["calvin klein"]), ("Lacoste", ["lacoste"]),
        ("Gucci", ["gucci"]), ("Prada", ["prada"]), ("Louis Vuitton", ["louis vuitton", "lv"]), ("Chanel", ["chanel"]),
        ("Hermès", ["hermes", "hermès"]), ("Dior", ["dior"]), ("Balenciaga", ["balenciaga"]), ("Burberry", ["burberry"]),
        ("Saint Laurent", ["saint laurent", "ysl"]), ("Fendi", ["fendi"]), ("Bottega Veneta", ["bottega veneta"]),
        ("Coach", ["coach"]), ("Michael Kors", ["michael kors"]), ("Kate Spade", ["kate spade"]), ("Longchamp", ["longchamp"]),
        ("Ray-Ban", ["rayban", "ray ban"]), ("Oakley", ["oakley"]), ("Rolex", ["rolex"]), ("Omega", ["omega"]),
        ("Seiko", ["seiko"]), ("Casio", ["casio"]), ("Garmin", ["garmin"]), ("Fitbit", ["fitbit"]),
        ("Tissot", ["tissot"]), ("TAG Heuer", ["tag heuer"]), ("Cartier", ["cartier"]), ("Swatch", ["swatch"]),
        ("Herman Miller", ["herman miller"]), ("Steelcase", ["steelcase"]), ("IKEA", ["ikea"]), ("Vitra", ["vitra"]),
        ("Eames", ["eames"]), ("Fritz Hansen", ["fritz hansen"]), ("Muuto", ["muuto"]), ("HAY", ["hay"]),
        ("Lego", ["lego"]), ("Playmobil", ["playmobil"]), ("Hasbro", ["hasbro"]), ("Mattel", ["mattel"]),
        ("Fender", ["fender"]), ("Gibson", ["gibson"]), ("Yamaha", ["yamaha"]), ("Roland", ["roland"]), ("Korg", ["korg"]),
        ("Marshall", ["marshall"]), ("Bang & Olufsen", ["bang & olufsen", "bang olufsen", "b&o"]), ("Sonos", ["sonos"]),
        ("Specialized", ["specialized"]), ("Trek", ["trek"]), ("Brompton", ["brompton"]), ("Giant", ["giant"]),
        ("Stanley", ["stanley"]), ("Yeti", ["yeti"]), ("Hydro Flask", ["hydro flask", "hydroflask"]),
        ("Vorwerk", ["vorwerk"]), ("Miele", ["miele"]), ("Smeg", ["smeg"]), ("Braun", ["braun"]),
        ("Oral-B", ["oral b", "oralb"]), ("Rimowa", ["rimowa"]), ("Samsonite", ["samsonite"]), ("Tumi", ["tumi"]),
        ("Herschel", ["herschel"]), ("Fjällräven", ["fjallraven", "fjällräven"]), ("Eastpak", ["eastpak"]),
        ("Moleskine", ["moleskine"]), ("Montblanc", ["montblanc", "mont blanc"]), ("Lamy", ["lamy"]),
        ("Polaroid", ["polaroid"]), ("Leica", ["leica"]), ("Hasselblad", ["hasselblad"]), ("Olympus", ["olympus"]),
        ("Xiaomi", ["xiaomi"]), ("OnePlus", ["oneplus"]),
        ("Huawei", ["huawei"]), ("Razer", ["razer"]), ("Logitech", ["logitech"]), ("SteelSeries", ["steelseries"]),
        ("Corsair", ["corsair"]), ("Meta", ["meta"]),
        ("Champion", ["champion"]), ("Carhartt", ["carhartt"]), ("Supreme", ["supreme"]), ("Stüssy", ["stussy", "stüssy"]),
        ("Motorola", ["motorola"]), ("Nokia", ["nokia"]), ("BlackBerry", ["blackberry"]), ("Honor", ["honor"]),
        ("Vivo", ["vivo"]), ("Oppo", ["oppo"]), ("Realme", ["realme"]), ("Fairphone", ["fairphone"]),
        ("Volkswagen", ["volkswagen", "vw"]), ("Audi", ["audi"]), ("BMW", ["bmw"]), ("Mercedes-Benz", ["mercedes benz", "mercedes"]),
        ("Porsche", ["porsche"]), ("Toyota", ["toyota"]), ("Honda", ["honda"]), ("Ford", ["ford"]), ("Opel", ["opel"]),
        ("Hot Wheels", ["hot wheels"]), ("Matchbox", ["matchbox"]), ("Tamiya", ["tamiya"]), ("Bandai", ["bandai"]),
        ("Tefal", ["tefal"]), ("WMF", ["wmf"]), ("Zwilling", ["zwilling"]),
        ("All-Clad", ["all clad"]),
        // Snack and supplement makers whose names other brands' aliases would otherwise swallow
        // ("MET-Rx" is not "MET" nor Meta; a Quest bar is not a Meta Quest).
        ("MET-Rx", ["met rx", "metrx"]), ("Quest Nutrition", ["quest nutrition"]),
    ]

    /// Product lines: they name the maker, and stay part of the model ("Apple iPad Air").
    static let lines: [(name: String, lines: [String])] = [
        ("Apple", ["iphone", "ipad", "macbook", "imac", "airpods", "mac mini", "apple watch"]), ("Samsung", ["galaxy"]),
        ("Google", ["pixel"]), ("Microsoft", ["xbox", "surface"]), ("Sony", ["playstation", "walkman"]),
        ("Panasonic", ["lumix"]), ("Lenovo", ["thinkpad"]), ("Casio", ["g shock"]), ("Vorwerk", ["thermomix"]),
        ("Fjällräven", ["kanken", "kånken"]), ("Amazon", ["kindle", "echo dot"]), ("Valve", ["steam deck"]),
        ("Meta", ["oculus", "oculus quest", "quest 2", "quest 3", "quest 3s", "quest pro"]),
    ]

    /// Alias (lowercase, as tokens joined by spaces) → canonical name.
    static let byAlias: [String: String] = {
        var map: [String: String] = [:]
        for entry in entries { for alias in entry.aliases { map[alias] = entry.name } }
        return map
    }()

    /// Product line (lowercase words joined by spaces) → its maker.
    static let byLine: [String: String] = {
        var map: [String: String] = [:]
        for entry in lines { for line in entry.lines { map[line] = entry.name } }
        return map
    }()

    /// Longest alias or line in words, to bound the n-gram search.
    static let longestAlias: Int = (entries.flatMap(\.aliases) + lines.flatMap(\.lines))
        .map { $0.split(separator: " ").count }.max() ?? 1
}
