import Testing
@testable import Producers

/// Site names through the Public Suffix List (libpsl), not a table of our own.
@Suite struct DomainNameTests {
    @Test(arguments: [
        ("shopee.com.my", "shopee"),  // a two-label suffix the old 22-entry table lacked ("com")
        ("www.ebay.co.uk", "ebay"),
        ("ebay.com", "ebay"),
        ("shop.nordlys.example", "nordlys"),  // the demo's hosts: an unlisted TLD is one label
        ("foo.blogspot.com", "foo"),  // a private suffix of the list
        ("tienda.mercadolibre.com.ar", "mercadolibre"),
        ("KLEINANZEIGEN.DE", "kleinanzeigen"),
        ("localhost", "localhost"),
    ])
    func registrableLabel(host: String, label: String) {
        #expect(DomainName.label(ofHost: host) == label)
    }

    @Test func registrableDomains() {
        #expect(PublicSuffixList.shared.registrableDomain("www.shopee.com.my") == "shopee.com.my")
        #expect(PublicSuffixList.shared.registrableDomain("co.uk") == nil)
        #expect(DomainName.label(ofLink: "https://www.amazon.co.jp/dp/B000") == "amazon")
    }
}
