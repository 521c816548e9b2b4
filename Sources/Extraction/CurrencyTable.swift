/// Currency texts seen on shop pages and the ISO 4217 codes they can stand for.
///
/// A text maps to its candidate codes; the first is the reading used when nothing else is
/// known, unless the entry is marked ambiguous (then only a context hint that names one of
/// the candidates resolves it: "kr" is SEK, NOK, DKK or ISK and guessing would be wrong
/// more often than not). Bare "$" and "¥" do take a default (USD, JPY) because that is
/// what they mean on most pages; a hint such as the page's own priceCurrency overrides it.
public enum CurrencyTable {
    struct Entry: Sendable {
        let text: String
        let codes: [String]
        let ambiguous: Bool
    }

    /// ISO 4217 codes matched as words. ALL, CUP and TOP are left out: as upper-case words
    /// next to a number they are far more often English than Albanian, Cuban or Tongan money.
    static let isoCodes: Set<String> = Set("""
        AED AFN AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP \
        BYN BZD CAD CDF CHF CLP CNY COP CRC CUC CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP \
        GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY \
        KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP \
        MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR \
        RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLL SOS SRD SSP STN SYP SZL THB TJS TMT TND \
        TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWL
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))

    /// Symbols and local names. Order does not matter: matching always takes the longest text.
    static let symbols: [Entry] = {
        let rows: [(String, String, Bool)] = [
            ("$", "USD CAD AUD NZD MXN SGD HKD TWD ARS CLP COP", false),
            ("US$", "USD", false), ("U.S.$", "USD", false), ("$US", "USD", false), ("US $", "USD", false),
            ("USD$", "USD", false), ("C$", "CAD", false), ("CA$", "CAD", false), ("CAD$", "CAD", false),
            ("CAN$", "CAD", false), ("A$", "AUD", false), ("AU$", "AUD", false), ("AU $", "AUD", false),
            ("AUD$", "AUD", false), ("NZ$", "NZD", false), ("HK$", "HKD", false), ("S$", "SGD", false),
            ("NT$", "TWD", false), ("MX$", "MXN", false), ("R$", "BRL", false), ("RD$", "DOP", false),
            ("TT$", "TTD", false), ("J$", "JMD", false), ("Z$", "ZWL", false), ("CUC$", "CUC", false),
            ("MOP$", "MOP", false), ("G$", "GYD", false), ("GY$", "GYD", false), ("$b", "BOB", false),
            ("€", "EUR", false), ("euro", "EUR", false), ("euros", "EUR", false), ("Euro", "EUR", false),
            ("£", "GBP", false), ("￡", "GBP", false), ("stg", "GBP", false), ("pound", "GBP", false),
            ("¥", "JPY CNY", false), ("￥", "JPY CNY", false), ("円", "JPY", false), ("yen", "JPY", false),
            ("元", "CNY", false), ("人民币", "CNY", false), ("RMB", "CNY", false), ("yuan", "CNY", false),
            ("₹", "INR", false), ("Rs", "INR PKR LKR NPR", false), ("Rs.", "INR PKR LKR NPR", false),
            ("₨", "INR PKR LKR NPR", false), ("Rp", "IDR", false), ("RM", "MYR", false),
            ("₱", "PHP", false), ("฿", "THB", false), ("บาท", "THB", false), ("₫", "VND", false),
            ("VNĐ", "VND", false), ("đ", "VND", false), ("₩", "KRW", false), ("원", "KRW", false),
            ("₪", "ILS", false), ("ש״ח", "ILS", false), ("nis", "ILS", false), ("₺", "TRY", false),
            ("TL", "TRY", false), ("₴", "UAH", false), ("грн", "UAH", false), ("грн.", "UAH", false),
            ("hrn", "UAH", false), ("₽", "RUB", false), ("руб", "RUB", false), ("руб.", "RUB", false),
            ("р.", "RUB", false), ("Р", "RUB", false), ("₸", "KZT", false), ("тг", "KZT", false),
            ("₼", "AZN", false), ("₾", "GEL", false), ("лв", "BGN", false), ("лв.", "BGN", false),
            ("ден", "MKD", false), ("дин", "RSD", false), ("din", "RSD", false), ("zł", "PLN", false),
            ("zl", "PLN", false), ("Kč", "CZK", false), ("Ft", "HUF", false), ("lei", "RON", false),
            ("kn", "HRK", false), ("kr", "SEK NOK DKK ISK", true), ("kr.", "DKK ISK", true),
            ("Kr", "SEK NOK DKK ISK", true), (":-", "SEK", false), ("Fr.", "CHF", false),
            ("SFr", "CHF", false), ("SFr.", "CHF", false), ("R", "ZAR", false), ("₦", "NGN", false),
            ("KSh", "KES", false), ("USh", "UGX", false), ("TSh", "TZS", false), ("GH₵", "GHS", false),
            ("₵", "GHS", false), ("E£", "EGP", false), ("ج.م", "EGP", false), ("د.إ", "AED", false),
            ("ر.س", "SAR", false), ("﷼", "SAR IRR YER OMR QAR", true), ("د.ك", "KWD", false),
            ("KD", "KWD", false), ("ر.ق", "QAR", false), ("QR", "QAR", false), ("د.ب", "BHD", false),
            ("BD", "BHD", false), ("ر.ع", "OMR", false), ("د.أ", "JOD", false), ("د.ا", "JOD", false),
            ("تومان", "IRR", false), ("؋", "AFN", false), ("৳", "BDT", false), ("₮", "MNT", false),
            ("₭", "LAK", false), ("៛", "KHR", false), ("Ks", "MMK", false), ("Q", "GTQ", false),
            ("S/", "PEN", false), ("S/.", "PEN", false), ("Bs", "VES BOB", true), ("₲", "PYG", false),
            ("₡", "CRC", false), ("B/.", "PAB", false), ("ƒ", "ANG AWG", true), ("CFA", "XOF XAF", true),
            ("FCFA", "XOF XAF", true), ("Br", "ETB BYN", true), ("KM", "BAM", false), ("MT", "MZN", false),
            ("Ar", "MGA", false), ("Fdj", "DJF", false), ("FBu", "BIF", false), ("Rf", "MVR", false),
            ("VT", "VUV", false), ("جنيه", "EGP", false), ("ل.ل", "LBP", false), ("د.ج", "DZD", false),
            ("د.م", "MAD", false), ("د.ت", "TND", false), ("ل.س", "SYP", false), ("ر.ي", "YER", false),
        ]
        return rows.map { Entry(text: $0.0, codes: $0.1.split(separator: " ").map(String.init), ambiguous: $0.2) }
    }()

    /// Every matchable text, by its first Unicode scalar, longest first.
    static let byFirstScalar: [Unicode.Scalar: [(scalars: [Unicode.Scalar], entry: Entry)]] = {
        var table: [Unicode.Scalar: [(scalars: [Unicode.Scalar], entry: Entry)]] = [:]
        let all = symbols + isoCodes.map { Entry(text: $0, codes: [$0], ambiguous: false) }
        for entry in all {
            let scalars = Array(entry.text.unicodeScalars)
            guard let first = scalars.first else { continue }
            table[first, default: []].append((scalars, entry))
            // ISO codes and Latin names are also written in lower case ("140,00 pln").
            let lower = Array(entry.text.lowercased().unicodeScalars)
            if lower != scalars, entry.text.count >= 3, let lowerFirst = lower.first {
                table[lowerFirst, default: []].append((lower, entry))
            }
        }
        for key in table.keys { table[key]?.sort { $0.scalars.count > $1.scalars.count } }
        return table
    }()

    /// The ISO code for a currency text, using `hint` (an ISO code) to settle ambiguous symbols.
    public static func isoCode(for text: String, hint: String? = nil) -> String? {
        let trimmed = text.trimmingSpaces()
        let upper = trimmed.uppercased()
        if isoCodes.contains(upper) { return upper }
        guard let entry = symbols.first(where: { $0.text == trimmed })
            ?? symbols.first(where: { $0.text.lowercased() == trimmed.lowercased() })
        else { return nil }
        return resolve(entry, hint: hint)
    }

    static func resolve(_ entry: Entry, hint: String?) -> String? {
        if let hint = hint?.uppercased(), entry.codes.contains(hint) { return hint }
        return entry.ambiguous ? nil : entry.codes.first
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        let characters = Array(self)
        guard let start = characters.firstIndex(where: { !set.contains($0) }),
              let end = characters.lastIndex(where: { !set.contains($0) }) else { return "" }
        return String(characters[start...end])
    }

    /// Trims ASCII and Unicode spaces without Foundation.
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[start...end])
    }
}
