import DemoWorld
import Foundation
import JSON
import Outbound
import TestSupport
import Testing

/// `serve --demo --canary-interval … --demo-faults ebay-layout-changed`: the search canaries turn
/// the eBay profile `degraded` in `/readyz` within one interval, count it in `/metrics`, and
/// turn it back to `ok` once the fault is switched off at run time.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: DemoServer.binary) && ChromeDriverProcess.find() != nil,
                             "needs .build/debug/lens-gpt and chromedriver (scripts/deps test installs chromium and chromium-driver)"))
struct SearchCanaryDemoTests {
    /// `--canary-interval` is in ms: 4000 is the "4" (seconds) in the setting's unit.
    static let intervalMillis = 4_000

    @Test(.timeLimit(.minutes(4)))
    func aRenamedEBayLayoutTurnsItsProfileDegradedAndBack() throws {
        let server = try DemoServer(arguments: ["--canary-interval", "\(SearchCanaryDemoTests.intervalMillis)",
                                                "--demo-faults", "ebay-layout-changed"])
        defer { server.stop() }
        let startedAt = Date()
        let http = HTTPClient()
        func profile(_ name: String) throws -> JSONValue? {
            let ready = try http.get(server.baseURL + "/readyz").json()
            return ready["checks"]?["search-profiles"]?["profiles"]?[name]
        }
        /// The profile's entry once its state is `state` (nil before).
        func profile(_ name: String, once state: String) throws -> JSONValue? {
            guard let entry = try profile(name), entry["state"]?.stringValue == state else { return nil }
            return entry
        }
        // Within one interval of the first round's end (the first round starts at once and
        // includes opening the browser; a loaded machine gets the slack of the deadline).
        let degraded = try waitForValue(timeout: 90, every: 0.2) { try profile("ebay", once: "degraded") }
        report("ebay canary degraded \(Int(Date().timeIntervalSince(startedAt) * 1000)) ms after the server listened (interval \(SearchCanaryDemoTests.intervalMillis) ms)")
        #expect(degraded?["reason"]?.stringValue == "degraded", "\(String(describing: degraded))")
        #expect((degraded?["results"]?.intValue ?? 0) > 0, "the fallback still read the listings")
        #expect(degraded?["last_ok"] == .null)
        #expect(try profile("duckduckgo")?["state"]?.stringValue != "degraded", "the web search replica still answers")

        let metrics = String(decoding: try http.get(server.baseURL + "/metrics").body, as: UTF8.self)
        #expect(metrics.contains("lens_gpt_search_canary_total{profile=\"ebay\",result=\"degraded\"} "), "\(metrics.suffix(1500))")
        #expect(metrics.contains("lens_gpt_search_profile_ok{profile=\"ebay\"} 0"))
        #expect(!metrics.contains("lens_gpt_search_canary_total{profile=\"ebay\",result=\"degraded\"} 0\n"))

        // The fault off at run time (the demo world's switch): back to ok within one interval.
        let log = (try? String(contentsOfFile: server.logPath, encoding: .utf8)) ?? ""
        let world = try #require(log.firstMatch(of: #/faults switched at (http://127\.0\.0\.1:\d+/demo/faults)/#).map { String($0.1) },
                                 "the demo world's fault switch in the log: \(log.prefix(3000))")
        let switched = try http.json("POST", world + "?ebay-layout-changed=off")
        #expect(switched.status == 200 && switched.value["faults"] == [], "\(switched)")
        let switchedOffAt = Date()
        let recovered = try waitForValue(timeout: 90, every: 0.2) { try profile("ebay", once: "ok") }
        #expect(recovered != nil && recovered?["reason"]?.stringValue == nil, "\(String(describing: recovered))")
        #expect(recovered?["last_ok"]?.stringValue != nil)
        report("ebay canary back to ok \(Int(Date().timeIntervalSince(switchedOffAt) * 1000)) ms after the fault went off (interval \(SearchCanaryDemoTests.intervalMillis) ms)")

        // The web search replica's bot check: its profile turns degraded with the reason `blocked`.
        let blockedSwitch = try http.json("POST", world + "?websearch-blocked=on")
        #expect(blockedSwitch.value["faults"] == ["websearch-blocked"], "\(blockedSwitch)")
        let blocked = try waitForValue(timeout: 90, every: 0.2) { try profile("duckduckgo", once: "degraded") }
        #expect(blocked?["reason"]?.stringValue == "blocked", "\(String(describing: blocked))")
        #expect(blocked?["last_ok"]?.stringValue != nil, "it worked before the bot check: \(String(describing: blocked))")
        #expect(try profile("ebay")?["state"]?.stringValue == "ok")

        // A wrong switch is a clear error and changes nothing.
        let wrong = try http.json("POST", world + "?no-such-fault=on")
        #expect(wrong.status == 400)
    }

    func report(_ line: String) { print("SEARCH-CANARY | " + line) }
}
