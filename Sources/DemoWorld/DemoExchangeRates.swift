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

    /// The date the demo's rates are for: they are fixed, so their document says so with one
    /// fixed date, as a real ECB document dates its own rates (not the day it is read).
    public static let demoRatesDate = "2026-03-05"

    static func ecbResponse() -> HTTPResponse {
        var xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
        \t<gesmes:subject>Reference rates</gesmes:subject>
        \t<gesmes:Sender>
        \t\t<gesmes:name>European Central Bank (demo replica)</gesmes:name>
        \t</gesmes:Sender>
        \t<Cube>
        \t\t<Cube time='\(demoRatesDate)'>

        """
        for (currency, rate) in demoRatesPerEuro { xml += "\t\t\t<Cube currency='\(currency)' rate='\(rate)'/>\n" }
        xml += "\t\t</Cube>\n\t</Cube>\n</gesmes:Envelope>\n"
        return HTTPResponse(status: .ok, headers: HTTPHeaders([("Content-Type", "text/xml")]), body: Array(xml.utf8))
    }
}
