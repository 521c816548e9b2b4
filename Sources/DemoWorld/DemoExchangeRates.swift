import Glibc
import HTTP

/// The demo's ECB replica: the European Central Bank's daily reference-rate document
/// (`eurofxref-daily.xml`, same shape) on loopback, so the demo converts offers the way a
/// deployment does — fetched, cached with its date — and no rate is written into lens-gpt.
extension DemoWorld {
    static let ecbPath = "/ecb/eurofxref-daily.xml"

    /// Units per euro the demo's central bank publishes.
    static let demoRatesPerEuro: [(String, String)] = [("USD", "1.0800"), ("JPY", "161.19"), ("GBP", "0.85040"), ("CHF", "0.9520")]

    /// Where lens-gpt fetches the demo's rates (`--rates-url`).
    public var exchangeRatesURL: String { baseURL + DemoWorld.ecbPath }

    /// Today's date (UTC), as the ECB dates its document.
    static func today() -> String {
        var t = time(nil)
        var parts = tm()
        gmtime_r(&t, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))"
    }

    static func ecbResponse() -> HTTPResponse {
        var xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
        \t<gesmes:subject>Reference rates</gesmes:subject>
        \t<gesmes:Sender>
        \t\t<gesmes:name>European Central Bank (demo replica)</gesmes:name>
        \t</gesmes:Sender>
        \t<Cube>
        \t\t<Cube time='\(today())'>

        """
        for (currency, rate) in demoRatesPerEuro { xml += "\t\t\t<Cube currency='\(currency)' rate='\(rate)'/>\n" }
        xml += "\t\t</Cube>\n\t</Cube>\n</gesmes:Envelope>\n"
        return HTTPResponse(status: .ok, headers: HTTPHeaders([("Content-Type", "text/xml")]), body: Array(xml.utf8))
    }
}
