/// Whether a site is a brand's own: its registrable name is the brand's name, alone or with
/// the words shops add to it (`nordlys`, `nordlys-shop`, `shopnordlys`, `nordlysofficial`).
enum MakerDomain {
    static let suffixes = ["", "shop", "store", "official", "online", "brand", "global", "world", "usa", "us", "uk", "eu",
                           "de", "home", "design", "designs", "studio", "inc", "co", "hq"]
    static let prefixes = ["shop", "the", "get", "buy", "official", "my", "wear"]

    static func isMaker(brand: String, link: String) -> Bool {
        guard let label = DomainName.label(ofLink: link) else { return false }
        let name = DomainName.squashed(brand)
        guard name.count >= 2 else { return false }
        let site = DomainName.squashed(label)
        if suffixes.contains(where: { site == name + $0 }) { return true }
        return prefixes.contains { site == $0 + name }
    }
}
