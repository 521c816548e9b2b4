/// Brands the deterministic identification recognises, with the spellings titles use. Data, not
/// logic: add a line to teach it a brand. Canonical name first, then lowercase aliases.
public enum BrandCatalog {
    static let entries: [(name: String, aliases: [String])] = [
        ("Apple", ["apple", "iphone", "ipad", "macbook", "airpods"]), ("Samsung", ["samsung", "galaxy"]),
        ("Sony", ["sony"]), ("Bose", ["bose"]), ("Sennheiser", ["sennheiser"]), ("JBL", ["jbl"]),
        ("Beats", ["beats", "beats by dre"]), ("Google", ["google", "pixel"]), ("Microsoft", ["microsoft", "xbox", "surface"]),
        ("Nintendo", ["nintendo"]), ("Canon", ["canon"]), ("Nikon", ["nikon"]), ("Fujifilm", ["fujifilm", "fuji"]),
        ("Panasonic", ["panasonic", "lumix"]), ("GoPro", ["gopro"]), ("DJI", ["dji"]), ("Dell", ["dell"]),
        ("HP", ["hp", "hewlett packard"]), ("Lenovo", ["lenovo", "thinkpad"]), ("Asus", ["asus"]), ("Acer", ["acer"]),
        ("LG", ["lg"]), ("Philips", ["philips"]), ("Dyson", ["dyson"]), ("Bosch", ["bosch"]), ("Makita", ["makita"]),
        ("DeWalt", ["dewalt"]), ("Milwaukee", ["milwaukee"]), ("KitchenAid", ["kitchenaid"]), ("Nespresso", ["nespresso"]),
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
        ("Ray-Ban", ["ray-ban", "rayban", "ray ban"]), ("Oakley", ["oakley"]), ("Rolex", ["rolex"]), ("Omega", ["omega"]),
        ("Seiko", ["seiko"]), ("Casio", ["casio", "g-shock"]), ("Garmin", ["garmin"]), ("Fitbit", ["fitbit"]),
        ("Tissot", ["tissot"]), ("TAG Heuer", ["tag heuer"]), ("Cartier", ["cartier"]), ("Swatch", ["swatch"]),
        ("Herman Miller", ["herman miller"]), ("Steelcase", ["steelcase"]), ("IKEA", ["ikea"]), ("Vitra", ["vitra"]),
        ("Eames", ["eames"]), ("Fritz Hansen", ["fritz hansen"]), ("Muuto", ["muuto"]), ("HAY", ["hay"]),
        ("Lego", ["lego"]), ("Playmobil", ["playmobil"]), ("Hasbro", ["hasbro"]), ("Mattel", ["mattel"]),
        ("Fender", ["fender"]), ("Gibson", ["gibson"]), ("Yamaha", ["yamaha"]), ("Roland", ["roland"]), ("Korg", ["korg"]),
        ("Marshall", ["marshall"]), ("Bang & Olufsen", ["bang & olufsen", "bang olufsen", "b&o"]), ("Sonos", ["sonos"]),
        ("Specialized", ["specialized"]), ("Trek", ["trek"]), ("Brompton", ["brompton"]), ("Giant", ["giant"]),
        ("Stanley", ["stanley"]), ("Yeti", ["yeti"]), ("Hydro Flask", ["hydro flask", "hydroflask"]),
        ("Vorwerk", ["vorwerk", "thermomix"]), ("Miele", ["miele"]), ("Smeg", ["smeg"]), ("Braun", ["braun"]),
        ("Oral-B", ["oral-b", "oral b"]), ("Rimowa", ["rimowa"]), ("Samsonite", ["samsonite"]), ("Tumi", ["tumi"]),
        ("Herschel", ["herschel"]), ("Fjällräven", ["fjallraven", "fjällräven", "kanken"]), ("Eastpak", ["eastpak"]),
        ("Moleskine", ["moleskine"]), ("Montblanc", ["montblanc", "mont blanc"]), ("Lamy", ["lamy"]),
        ("Polaroid", ["polaroid"]), ("Leica", ["leica"]), ("Hasselblad", ["hasselblad"]), ("Olympus", ["olympus"]),
        ("Kindle", ["kindle"]), ("Amazon", ["echo dot"]), ("Xiaomi", ["xiaomi"]), ("OnePlus", ["oneplus"]),
        ("Huawei", ["huawei"]), ("Razer", ["razer"]), ("Logitech", ["logitech"]), ("SteelSeries", ["steelseries"]),
        ("Corsair", ["corsair"]), ("Valve", ["steam deck"]), ("Meta", ["oculus", "meta quest"]),
    ]

    /// Alias (lowercase, as tokens joined by spaces) → canonical name.
    static let byAlias: [String: String] = {
        var map: [String: String] = [:]
        for entry in entries { for alias in entry.aliases { map[alias] = entry.name } }
        return map
    }()

    /// Longest alias in tokens, to bound the n-gram search.
    static let longestAlias: Int = entries.flatMap(\.aliases).map { $0.split(separator: " ").count }.max() ?? 1
}
