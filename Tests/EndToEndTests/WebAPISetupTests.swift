import ArgumentParser
import Testing
@testable import LensGPT

/// Which official APIs the settings turn on, and the web-search profiles that name them.
@Suite struct WebAPISetupTests {
    static let demo = DemoAPIEndpoints(barcodeDatabasesURL: "http://127.0.0.1:9/", webSearchAPIsURL: "http://127.0.0.1:9",
                                       upcitemdbUserKey: nil, braveKey: "b", googleKey: "g", googleEngineID: "cx")

    @Test func apisComeInTheirOrderAndAreChosenByName() throws {
        let setup = try WebAPISetup.make(try WebAPIOptions.parse([]), demo: WebAPISetupTests.demo)
        #expect(setup.webSearches.map(\.name) == ["brave-api", "google-cse"])
        #expect(try setup.chosenSearches([]).map(\.name) == ["brave-api", "google-cse"], "nothing named: every configured API")
        #expect(try setup.chosenSearches(["duckduckgo", "bing"]).isEmpty, "only pages named: no API")
        #expect(try setup.chosenSearches(["bing", "google-cse"]).map(\.name) == ["google-cse"])
        #expect(setup.barcodeLookup?.databases.map(\.name) == ["openfoodfacts", "upcitemdb", "openlibrary"])
    }

    @Test func offlineWithoutReplicasNothingIsReachedAndOffTurnsADatabaseOff() throws {
        let offline = try WebAPISetup.make(try WebAPIOptions.parse([]), offline: true)
        #expect(offline.barcodeLookup == nil)
        #expect(offline.webSearches.isEmpty)
        let chosen = #expect(throws: SettingError.self) { try offline.chosenSearches(["brave-api"]) }
        #expect(chosen?.description.contains("BRAVE_SEARCH_API_KEY") == true)

        let some = try WebAPISetup.make(try WebAPIOptions.parse(["--openfoodfacts-url", "off", "--upcitemdb-url", "http://127.0.0.1:9"]),
                                        offline: true)
        #expect(some.barcodeLookup?.databases.map(\.name) == ["upcitemdb"], "a URL named explicitly is used even offline")
    }

    /// The refusal's message: numbers out of range are refused when the options are parsed, a bad
    /// URL when the APIs are made.
    func refusal(_ arguments: [String]) -> String? {
        do {
            _ = try WebAPISetup.make(try WebAPIOptions.parse(arguments))
            return nil
        } catch {
            return WebAPIOptions.message(for: error)
        }
    }

    @Test func badValuesAreRefused() throws {
        #expect(refusal(["--openlibrary-url", "ftp://x"])?.contains("LENS_GPT_OPENLIBRARY_URL") == true)
        #expect(refusal(["--barcode-cache-seconds", "0"])?.contains("--barcode-cache-seconds (LENS_GPT_BARCODE_CACHE_SECONDS)") == true)
        #expect(refusal(["--barcode-cache-entries", "2000000"])?.contains("from 0 to 1000000") == true)
        #expect(refusal(["--barcode-cache-entries=-1"])?.contains("from 0 to 1000000") == true)
        #expect(refusal(["--barcode-lookup-timeout-ms", "200000"])?.contains("from 1 to 120000") == true)
        let timed = try WebAPISetup.make(try WebAPIOptions.parse(["--barcode-lookup-timeout-ms", "2500"]), demo: WebAPISetupTests.demo)
        #expect(timed.barcodeLookup?.limits.timeoutMillis == 2_500)
    }
}
