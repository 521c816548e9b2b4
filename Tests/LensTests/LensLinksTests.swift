import Producers
import Testing

@Suite struct LensLinksTests {
    @Test func unwrapsGoogleRedirectsAndDropsTracking() {
        let wrapped = "https://www.google.com/url?q=https%3A%2F%2Fshop.example%2Fp%2F42%3Fcolor%3Dred%26utm_source%3Dgoogle%26utm_medium%3Dlens&sa=U&ved=2ahUKE&usg=AOvVaw"
        #expect(LensLinks.clean(wrapped) == "https://shop.example/p/42?color=red")
    }

    @Test func unwrapsImageAndAdRedirects() {
        #expect(LensLinks.clean("https://www.google.com/imgres?imgurl=https%3A%2F%2Fcdn.example%2Fa.jpg&imgrefurl=https%3A%2F%2Fblog.example%2Fpost")
            == "https://blog.example/post")
        #expect(LensLinks.clean("https://www.google.com/aclk?sa=l&adurl=https%3A%2F%2Fads.example%2Flanding%3Fgclid%3Dabc") == "https://ads.example/landing")
    }

    @Test func keepsOrdinaryLinksAndTheirRealParameters() {
        #expect(LensLinks.clean("https://shop.example/item?id=7&variant=2") == "https://shop.example/item?id=7&variant=2")
        #expect(LensLinks.clean("https://shop.example/item?srsltid=AfmBOo1&id=7#reviews") == "https://shop.example/item?id=7#reviews")
        #expect(LensLinks.clean("https://shop.example/item?fbclid=1&gclid=2") == "https://shop.example/item")
        #expect(LensLinks.clean("https://shop.example/item#:~:text=Lamp") == "https://shop.example/item")
        // A /url path on a shop is only a redirect when it carries an absolute target.
        #expect(LensLinks.clean("https://shop.example/url?q=lamps") == "https://shop.example/url?q=lamps")
    }

    @Test func domainIsTheHostWithoutWWW() {
        #expect(LensLinks.domain("https://www.shop.example:8443/p") == "shop.example")
        #expect(LensLinks.domain("http://user@Shop.Example/p") == "shop.example")
        #expect(LensLinks.domain("not a url") == nil)
        #expect(LensLinks.domain("javascript:alert(1)") == nil)
    }
}

@Suite struct PriceTextTests {
    @Test(arguments: [
        ("$129.00", "129.00", "USD"), ("$1,299.00", "1299.00", "USD"), ("1.234,56 €", "1234.56", "EUR"),
        ("€89,99", "89.99", "EUR"), ("EUR 1.299,00", "1299.00", "EUR"), ("£45", "45.00", "GBP"),
        ("¥21,000", "21000", "JPY"), ("USD 77.00", "77.00", "USD"), ("US$ 45.5", "45.50", "USD"),
        ("1 299,00 €", "1299.00", "EUR"), ("CHF 120.–", "120.00", "CHF"), ("₹2,499", "2499.00", "INR"),
    ])
    func readsPriceBadges(text: String, amount: String, currency: String) {
        let parsed = PriceText.parse(text)
        #expect(parsed?.amount == amount)
        #expect(parsed?.currency == currency)
    }

    @Test func ignoresTextWithoutACurrency() {
        #expect(PriceText.parse("40 mm") == nil)
        #expect(PriceText.parse("In stock") == nil)
        #expect(PriceText.parse("$") == nil)
    }
}
