import CPSL

/// Hosts reduced to what tells sites apart: the registrable name without its public suffix
/// (`www.shop.co.uk` → `shop`, `shopee.com.my` → `shopee`, `shop.nordlys.example` → `nordlys`),
/// so data lists name a site once for every country it runs in. Public suffixes come from the
/// Public Suffix List through libpsl (the newest of its built-in list and Debian's
/// `publicsuffix` file), not from a table of our own.
enum DomainName {
    /// The lower-cased host of an http(s) link without `www.`; nil when `link` is not one.
    static func host(of link: String) -> String? {
        guard let host = URLParts(link)?.host.lowercased(), !host.isEmpty else { return nil }
        return host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
    }

    /// The registrable domain's first label (the one before the public suffix); for a host with
    /// no registrable domain (`localhost`, an address, a bare suffix) its last-but-one label, or itself.
    static func label(ofHost host: String) -> String {
        let host = host.lowercased()
        if let registrable = PublicSuffixList.shared.registrableDomain(host),
           let first = registrable.split(separator: ".").first {
            return String(first)
        }
        let parts = host.split(separator: ".").map(String.init)
        return parts.count >= 2 ? parts[parts.count - 2] : (parts.first ?? host)
    }

    static func label(ofLink link: String) -> String? { host(of: link).map(label(ofHost:)) }

    /// Letters and digits only, lower-cased, accents folded: `Bang & Olufsen` → `bangolufsen`,
    /// `Fjällräven` → `fjallraven`.
    static func squashed(_ text: String) -> String {
        var out = ""
        for scalar in text.lowercased().decomposedScalars where scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
            guard scalar.isASCII else { continue }  // combining marks after decomposition
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}

extension String {
    /// Latin letters with accents replaced by their base letter (`ä` → `a`, `ø` → `o`), read
    /// from the scalars' Unicode names since the standard library has no NFD without Foundation.
    var decomposedScalars: [Unicode.Scalar] {
        unicodeScalars.map { $0.properties.latinBaseLetter ?? $0 }
    }
}

extension Unicode.Scalar.Properties {
    /// `a` for "LATIN SMALL LETTER A WITH DIAERESIS"; nil for anything else.
    var latinBaseLetter: Unicode.Scalar? {
        guard let name, name.hasPrefix("LATIN "), name.contains(" WITH "),
              let range = name.firstRange(of: " LETTER ") else { return nil }
        let letterName = name[range.upperBound...].prefix { $0 != " " }
        guard letterName.count == 1, let letter = letterName.first else { return nil }
        let base = name.hasPrefix("LATIN SMALL") ? String(letter).lowercased() : String(letter)
        return base.unicodeScalars.first
    }
}
