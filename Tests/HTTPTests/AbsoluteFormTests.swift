import HTTP
import Testing

/// RFC 9112 §3.2.2: a server must accept a request target in absolute form; its path and query
/// come from the URL, and its authority takes the place of `Host`.
@Suite struct AbsoluteFormTests {
    func head(_ target: String, host: String? = "t", method: String = "GET") -> HTTPRequestHead {
        HTTPRequestHead(method: method, target: target, headers: HTTPHeaders(host.map { [("Host", $0)] } ?? []))
    }

    @Test func theOriginFormIsUnchanged() {
        let h = head("/results/abc?token=1#f")
        #expect(h.path == "/results/abc" && h.query == "token=1" && h.originForm == "/results/abc?token=1#f")
        #expect(h.absoluteAuthority == nil && h.host == "t" && h.targetProblem == nil)
    }

    @Test func pathQueryAndHostComeFromTheURL() {
        let h = head("http://example.com:8080/results/abc?lastEventId=3#x", host: "other")
        #expect(h.path == "/results/abc")
        #expect(h.query == "lastEventId=3")
        #expect(h.absoluteAuthority == "example.com:8080")
        #expect(h.host == "example.com:8080")  // the URL's authority, not the Host header
        #expect(h.targetProblem == nil)
        #expect(h.target == "http://example.com:8080/results/abc?lastEventId=3#x")  // as sent, for the log and proxies
    }

    @Test func httpsAndAnyCaseOfTheSchemeAreAccepted() {
        #expect(head("https://h/healthz").path == "/healthz")
        #expect(head("HTTPS://h/healthz").path == "/healthz")
        #expect(head("Http://h/healthz").absoluteAuthority == "h")
    }

    @Test func anEmptyPathIsTheRoot() {
        #expect(head("http://h").path == "/")
        #expect(head("http://h?x=1").path == "/")
        #expect(head("http://h?x=1").query == "x=1")
        #expect(head("http://h").targetProblem == nil)
    }

    @Test func badTargetsAreRefused() {
        #expect(head("ftp://h/healthz").targetProblem != nil)
        #expect(head("http:///healthz").targetProblem != nil)  // no host
        #expect(head("http://user:pw@h/healthz").targetProblem != nil)
        #expect(head("healthz").targetProblem != nil)
        #expect(head("http:/healthz").targetProblem != nil)
        #expect(head("*", method: "OPTIONS").targetProblem == nil)
        #expect(head("h:443", method: "CONNECT").targetProblem == nil)
    }
}
