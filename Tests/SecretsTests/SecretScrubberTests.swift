import JSON
import Secrets
import Testing

/// The one scrubber: registered values, secret query parameters and userinfo, in text and JSON.
struct SecretScrubberTests {
    @Test func registeredValuesAndTheirURLFormsAreReplaced() {
        let scrubber = SecretScrubber()
        scrubber.register("sk-live-abc123")
        scrubber.register("p@ss word/1")
        #expect(scrubber.scrub("key sk-live-abc123 refused") == "key REDACTED refused")
        #expect(scrubber.scrub("x p@ss word/1 y") == "x REDACTED y")
        // As it travels in a URL, percent-encoded.
        #expect(scrubber.scrub("x=p%40ss%20word%2F1").contains("p%40ss") == false)
        #expect(scrubber.scrub("nothing secret") == "nothing secret")
    }

    /// A renewed token replaces the old one in the registry instead of adding to it forever.
    @Test func anUnregisteredValueIsLeftAlone() {
        let scrubber = SecretScrubber()
        scrubber.register("v^1.1#old-token")
        scrubber.register("v^1.1#new-token")
        scrubber.unregister("v^1.1#old-token")
        #expect(scrubber.scrub("v^1.1#old-token") == "v^1.1#old-token")
        #expect(scrubber.scrub("v%5E1.1%23new-token v^1.1#new-token") == "REDACTED REDACTED")
    }

    /// Every official API's key is declared secret (a marketplace API's by its description, see
    /// MarketplaceAPIDescriptionTests), and Google's `key=` and UPCitemdb's `user_key=` are secret
    /// wherever a URL shows them.
    @Test func theOfficialAPIsKeysAreSecrets() {
        let names = Set(SecretSettings.all.map(\.variable))
        for name in ["UPCITEMDB_USER_KEY", "BRAVE_SEARCH_API_KEY", "GOOGLE_CSE_API_KEY"] {
            #expect(names.contains(name), "\(name)")
        }
        let scrubbed = SecretScrubber().scrub("GET https://www.googleapis.com/customsearch/v1?key=AIzaSyExample&cx=1&q=lamp")
        #expect(!scrubbed.contains("AIzaSyExample"))
    }

    @Test func tooShortValuesAreNotRegistered() {
        let scrubber = SecretScrubber()
        scrubber.register("abc")
        #expect(scrubber.isEmpty)
        #expect(scrubber.scrub("abc abc") == "abc abc")
    }

    @Test func settingsAreRegisteredByTheirShape() {
        let scrubber = SecretScrubber()
        scrubber.register("SOCS=CAESEwgDEgk0ODE3; NID=511=abcdefg", as: SecretSettings.lensCookies)
        #expect(scrubber.scrub("cookie CAESEwgDEgk0ODE3 and 511=abcdefg") == "cookie REDACTED and REDACTED")
        scrubber.register("redis://:hunter22@127.0.0.1:6379/2", as: SecretSettings.store)
        #expect(scrubber.scrub("AUTH hunter22 failed") == "AUTH REDACTED failed")
        scrubber.register("redis://admin:s3cretpw@redis:6379", as: SecretSettings.store)
        #expect(scrubber.scrub("auth s3cretpw") == "auth REDACTED")
        #expect(scrubber.scrub("user admin") == "user admin")  // the user name is not the secret
    }

    @Test func secretQueryParametersAreRedactedWhereverAURLStands() {
        let scrubber = SecretScrubber()
        let text = "GET https://serpapi.com/search.json?engine=google_lens&url=http%3A%2F%2Fh%2Fp.png%3Fexpires%3D1%26sig%3Dab&api_key=k1k2k3: timeout"
        // A value runs to the next separator (`&`, space, quote, bracket): a `:` may be part of it.
        #expect(scrubber.scrub(text) == "GET https://serpapi.com/search.json?engine=google_lens&url=http%3A%2F%2Fh%2Fp.png%3Fexpires%3D1%26sig%3DREDACTED&api_key=REDACTED timeout")
        #expect(scrubber.scrub("/photos/x.png?expires=9&sig=deadbeef") == "/photos/x.png?expires=9&sig=REDACTED")
        #expect(scrubber.scrub("/r?TOKEN=abc&access_token=def&x=1") == "/r?TOKEN=REDACTED&access_token=REDACTED&x=1")
        #expect(scrubber.scrub("/r?%74oken=abc") == "/r?%74oken=REDACTED")
        // Ordinary parameters and key=value text stay.
        #expect(scrubber.scrub("bytes=12 q=lamp&hl=en") == "bytes=12 q=lamp&hl=en")
    }

    @Test func userInfoInURLsIsRedacted() {
        let scrubber = SecretScrubber()
        #expect(scrubber.scrub("cannot reach redis://:PASS@10.0.0.1:6379/0 now") == "cannot reach redis://REDACTED@10.0.0.1:6379/0 now")
        #expect(scrubber.scrub("proxy http://u:p@proxy:3128") == "proxy http://REDACTED@proxy:3128")
        // An @ in the path or query is not user info.
        #expect(scrubber.scrub("https://example.com/@shop?x=a@b") == "https://example.com/@shop?x=a@b")
    }

    @Test func jsonStringsAreScrubbedAndTheShapeKept() {
        let scrubber = SecretScrubber()
        scrubber.register("the-key-1234")
        let value: JSONValue = ["code": "lens_api_timeout", "message": "no answer: api_key=the-key-1234",
                                "nested": ["the-key-1234", 3, ["k": "x the-key-1234"]], "n": 1]
        let scrubbed = scrubber.scrub(value)
        #expect(!scrubbed.serialized().contains("the-key-1234"))
        #expect(scrubbed["code"] == "lens_api_timeout")
        #expect(scrubbed["nested"]?[1] == 3)
        #expect(scrubbed["nested"]?[0] == "REDACTED")
    }

    @Test func messageURLsKeepHostAndPathOnly() {
        #expect(MessageURL.display("https://serpapi.com/search.json?engine=google_lens&api_key=SECRET#f") == "https://serpapi.com/search.json?…")
        #expect(MessageURL.display("redis://:PASS@10.0.0.1:6379/1") == "redis://…@10.0.0.1:6379/1")
        #expect(MessageURL.display("http://127.0.0.1:80\\@example.com/") == "http://…@example.com/")
        #expect(MessageURL.display("http://shop.example/item/3") == "http://shop.example/item/3")
        #expect(MessageURL.display("/relative?sig=1") == "/relative?…")
        let long = "http://h/" + String(repeating: "a", count: 500)
        #expect(MessageURL.display(long).count < 230)
    }

    @Test func everyDeclaredSettingIsAnEnvironmentVariable() {
        let names = SecretSettings.all.map(\.variable)
        for name in ["OPENAI_API_KEY", "SERPAPI_API_KEY", "LENS_GPT_API_TOKEN", "LENS_GPT_LENS_COOKIES", "LENS_GPT_STORE"] {
            #expect(names.contains(name))
        }
        #expect(Set(names).count == names.count)
    }
}
