import TestSupport
import Foundation
import HTTP
import Testing

/// Runs every non-lenient request case of llhttp's fixtures (peer-data/llhttp/request/*.md)
/// through HTTPRequestParser, whole and one byte at a time.
///
/// Skipped by type: `request-lenient-*` (they need opt-in lenient flags we do not have; their
/// strict twins are in the corpus as `request` cases) and `request-finish` (they test llhttp's
/// `llhttp_finish`, i.e. EOF handling, which our server does with `isIdle`).
@Suite struct LLHTTPConformanceTests {
    static let dir = "llhttp/request"

    /// Deliberate differences, keyed by "file.md: heading". Each must still differ (a case that
    /// starts passing is reported, so the list cannot go stale), and every other case must pass.
    static let allowlist: [String: String] = [
        "method.md: SOURCE request with ICE":
            "ICE/1.0 is not HTTP; an HTTP server answers other protocols with 400",
        "method.md: OPTIONS request with RTSP":
            "RTSP/1.0 is not HTTP; an HTTP server answers other protocols with 400",
        "method.md: ANNOUNCE request with RTSP":
            "RTSP/1.0 is not HTTP; an HTTP server answers other protocols with 400",
        "transfer-encoding.md: POST with `chunked` as last transfer-encoding":
            "we do not decode deflate, so `deflate, chunked` is 501 rather than handing on coded bytes",
        "transfer-encoding.md: POST with `chunked` as last transfer-encoding (multiple headers)":
            "we do not decode deflate, so `deflate, chunked` is 501 rather than handing on coded bytes",
        "sample.md: No HTTP version":
            "HTTP/0.9 simple requests (no version) are refused with 400; RFC 9112 has no HTTP/0.9",
        "method.md: CONNECT with body":
            "llhttp turns CONNECT into a tunnel at the head; we frame its body by Content-Length like any request (the server refuses CONNECT anyway)",
        "content-length.md: Content-Length reset when no body is received":
            "needs llhttp's skipBody hook (on_headers_complete returning 1); our parser has no such hook",
    ]

    struct Outcome {
        var passed = 0
        var failures: [String] = []
        var allowedDiffs: [String] = []
        var unexpectedlyPassing: [String] = []
        var total = 0
    }

    @Test(.enabled(if: PeerData.has(dir)))
    func corpus() throws {
        let cases = try LLHTTPCorpus.load(PeerData.root.appendingPathComponent(Self.dir))
            .filter { $0.type == "request" }
        #expect(cases.count > 100, "expected the full llhttp request corpus, found \(cases.count)")
        var outcome = Outcome()
        for c in cases {
            outcome.total += 1
            let problem = check(c)
            if let reason = Self.allowlist[c.key] {
                if problem == nil { outcome.unexpectedlyPassing.append(c.key) } else {
                    outcome.allowedDiffs.append("\(c.key): \(reason)")
                }
                continue
            }
            if let problem { outcome.failures.append("\(c.key): \(problem)") } else { outcome.passed += 1 }
        }
        print("llhttp request conformance: \(outcome.passed) passed / \(outcome.total) total (\(outcome.allowedDiffs.count) deliberate differences)")
        for d in outcome.allowedDiffs { print("  deliberate: \(d)") }
        for f in outcome.failures { Issue.record("llhttp case failed: \(f)") }
        for k in outcome.unexpectedlyPassing { Issue.record("allowlisted llhttp case now passes, remove it: \(k)") }
        #expect(outcome.passed + outcome.allowedDiffs.count == outcome.total)
    }

    /// nil when the case passes, else what differed.
    func check(_ c: LLHTTPCase) -> String? {
        var results: [(messages: [ParsedMessage], error: HTTPParseError?)] = []
        for step in [Int.max, 1] {
            // After an upgrade/CONNECT pause llhttp stops; so do we once we saw as much as it did.
            let stop: ([ParsedMessage]) -> Bool = { got in
                guard c.upgradePause, let last = c.expected.last, got.count >= c.expected.count else { return false }
                return !last.complete || got[c.expected.count - 1].complete
            }
            var r = RequestRun.run(c.input, step: step, stop: stop)
            if c.upgradePause, let last = c.expected.last, !last.complete, r.messages.count == c.expected.count {
                r.messages[r.messages.count - 1].body = []
            }
            results.append(r)
        }
        let (whole, bytewise) = (results[0], results[1])
        if whole.messages != bytewise.messages || (whole.error == nil) != (bytewise.error == nil) {
            return "byte-at-a-time differs from whole: \(whole.messages) \(String(describing: whole.error)) vs \(bytewise.messages) \(String(describing: bytewise.error))"
        }
        if c.expectsError {
            return whole.error == nil ? "expected error (\(c.errorLine ?? "")) but parsed \(whole.messages)" : nil
        }
        if let e = whole.error { return "unexpected error \(e) after \(whole.messages)" }
        if whole.messages != c.expected { return "expected \(c.expected) got \(whole.messages)" }
        return nil
    }
}
