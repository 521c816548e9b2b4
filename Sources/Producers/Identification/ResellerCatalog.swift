/// Sites that sell or write about other makers' products: retailers, department stores,
/// price comparison, review and social sites. A page there is never the maker's own page
/// (unless the maker's name is the site's, as Amazon's devices on amazon.com). Data: add a
/// registrable name to teach it one.
public enum ResellerCatalog {
    public static let labels: Set<String> = [
        // General retailers and department stores
        "amazon", "walmart", "target", "bestbuy", "costco", "kohls", "macys", "nordstrom", "bloomingdales", "saksfifthavenue",
        "neimanmarcus", "jcpenney", "homedepot", "lowes", "wayfair", "overstock", "allmodern", "lampsplus", "houzz",
        "crateandbarrel", "williams-sonoma", "bedbathandbeyond", "qvc", "hsn", "newegg", "bhphotovideo", "adorama",
        "microcenter", "johnlewis", "argos", "currys", "selfridges", "harrods", "next", "very", "ao", "boots",
        "otto", "zalando", "aboutyou", "mediamarkt", "saturn", "galeria", "breuninger", "kaufhof", "conrad", "cyberport",
        "alternate", "notebooksbilliger", "fnac", "darty", "boulanger", "cdiscount", "laredoute", "galerieslafayette",
        "elcorteingles", "pccomponentes", "coolblue", "bol", "bijenkorf", "wehkamp", "elgiganten", "elkjop", "power",
        "komplett", "prisjakt", "rakuten", "flipkart", "myntra", "jd", "taobao", "tmall", "aliexpress", "alibaba",
        "temu", "shein", "wish", "mercadolibre", "lazada", "shopee", "noon", "jumia", "takealot", "kmart",
        "bigw", "jbhifi", "harveynorman", "thegoodguys", "canadiantire", "thebay", "bunnings",
        // Fashion and sports retailers
        "asos", "farfetch", "ssense", "mytheresa", "net-a-porter", "matchesfashion", "endclothing", "revolve",
        "zappos", "footlocker", "jdsports", "sportsdirect", "dickssportinggoods", "rei", "backcountry", "moosejaw",
        "bergfreunde", "bergzeit", "sportscheck", "snipes", "size", "footpatrol", "stockx", "goat", "flightclub",
        // Price comparison
        "idealo", "pricerunner", "pricespy", "geizhals", "billiger", "kelkoo", "shopzilla", "pricegrabber",
        "google", "bing", "yahoo", "duckduckgo",
        // Reviews, media and social sites
        "youtube", "facebook", "instagram", "pinterest", "reddit", "twitter", "x", "tiktok", "wikipedia", "medium",
        "rtings", "theverge", "cnet", "wired", "techradar", "trustedreviews", "whathifi", "gsmarena", "engadget",
        "digitaltrends", "tomsguide", "tomshardware", "pcmag", "gizmodo", "notebookcheck", "dpreview", "runnersworld",
        "hodinkee", "gq", "vogue", "nytimes", "wirecutter", "businessinsider", "forbes", "dezeen", "designmilk",
        "etsy", "trustpilot",
    ]

    /// Whether the link's site is a retailer, comparison, review or social site.
    public static func isReseller(_ link: String) -> Bool {
        guard let label = DomainName.label(ofLink: link) else { return false }
        return labels.contains(label)
    }
}
