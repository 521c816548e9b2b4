import ArgumentParser
import Glibc
import JSON
import PhotoReading
import Producers

/// `lens-gpt lookup GTIN`: what the barcode databases name for one number, as JSON.
struct LookupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lookup",
        abstract: "Look a GTIN (EAN-13, UPC-A, EAN-8, GTIN-14, an ISBN-13) up in the barcode databases and print the products as JSON.",
        discussion: """
            Asks Open Food Facts, UPCitemdb and (for ISBNs) Open Library, in that order. Prints \
            {"gtin": "<14 digits>", "products": [{source, name, brand, model, category, image, link}]} and exits 0, \
            also when no database knows the number (products: []). A number whose check digit is wrong, or that is \
            not 8, 12, 13 or 14 digits, is refused; when every database asked fails (rate limit, key, network), \
            exits 1 with a JSON error on stderr naming the code (api_rate_limited with retry_after_seconds, \
            api_unauthorized, api_failed, network_unavailable).
            """
    )

    @Argument(help: "The number under the bars (spaces and dashes ignored).") var gtin: String
    @OptionGroup var apis: WebAPIOptions
    @Option(help: "Time limit of the whole look-up in ms (default 20000).") var timeoutMs: Int = 20_000

    func validate() throws {
        try Setting.check(timeoutMs, "--timeout-ms", in: 1...600_000)
    }

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        let digits = gtin.filter { $0 != " " && $0 != "-" }
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }), [8, 12, 13, 14].contains(digits.count) else {
            fail(["code": "invalid_gtin", "message": .string("\(gtin) is not a GTIN: 8, 12, 13 or 14 digits"), "retryable": false])
        }
        guard let normalized = GTIN.normalized(digits) else {
            fail(["code": "invalid_gtin", "message": .string("the check digit of \(digits) is wrong (it does not match the digits before it)"),
                  "retryable": false])
        }
        let setup: WebAPISetup
        do {
            setup = try WebAPISetup.make(apis)
        } catch {
            fail(["code": "invalid_settings", "message": .string("\(error)"), "retryable": false])
        }
        guard let lookup = setup.barcodeLookup else {
            fail(["code": "invalid_settings", "message": "every barcode database is off", "retryable": false])
        }
        let result = lookup.lookup(normalized, timeoutMillis: timeoutMs)
        // Nothing found because nobody could answer is a failure, not an unknown number.
        if result.products.isEmpty, let first = result.failures.first,
           result.failures.count == lookup.databases.filter({ $0.covers(normalized) }).count
        {
            var error = first.json
            if result.failures.count > 1 { error["others"] = .array(result.failures.dropFirst().map { .object($0.json) }) }
            fail(error)
        }
        var object: JSONObject = ["gtin": .string(normalized), "products": .array(result.products.map(\.json))]
        if !result.failures.isEmpty { object["errors"] = .array(result.failures.map { .object($0.json) }) }
        print(JSONValue.object(object).serialized())
    }

    private func fail(_ error: JSONObject) -> Never {
        let line = JSONValue.object(["error": .object(error)]).serialized() + "\n"
        let bytes = Array(line.utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
        Glibc.exit(1)
    }
}
