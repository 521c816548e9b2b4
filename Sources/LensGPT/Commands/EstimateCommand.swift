import ArgumentParser
import Glibc
import JSON
import Producers
import SystemSupport

/// `lens-gpt estimate --producer P --model M`: the `estimated-price` payload from what
/// `lens-gpt search` printed, read on stdin, so a valuation can be checked on saved pages
/// without a run. No network: the listings' own currencies, no exchange rates.
struct EstimateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "estimate",
        abstract: "Estimate what a product is worth from marketplace listings `lens-gpt search` printed (stdin).",
        discussion: """
            Reads {"state", "listings"} (one results page) or a JSON array of them (several pages) on stdin and prints \
            the estimated-price payload: price, range, certainty, basis, comparables, rejected counts, condition \
            medians and sell-through. With too few listings of the product itself, basis is "none" and price null. \
            Exits 1 with a JSON error on stderr when the input is not such JSON.
            """
    )

    @Option(help: "The identified product's producer (brand).") var producer: String
    @Option(help: "The identified product's model, with its variant and pack size (e.g. \"Protein Bar Cookie Dough 12 Count\").") var model: String
    @Option(help: "Country whose currency wins a tie between the listings' currencies (LENS_GPT_COUNTRY, default US).") var country: String?
    @Option(help: "Largest input read on stdin (KiB, MiB or bytes; LENS_GPT_ESTIMATE_MAX_INPUT, default 32MiB, at most 1GiB).")
    var maxInput: String?

    func validate() throws {
        if producer.allSatisfy(\.isWhitespace) { throw ValidationError("--producer must not be empty") }
        if model.allSatisfy(\.isWhitespace) { throw ValidationError("--model must not be empty") }
    }

    func run() throws {
        let maxInputBytes: Int
        do {
            maxInputBytes = try Setting.bytes(maxInput, env: "LENS_GPT_ESTIMATE_MAX_INPUT", default: 32 << 20, in: 1...(1 << 30))
        } catch {
            fail("invalid_settings", "\(error)")
        }
        let input: [UInt8]
        switch BoundedFile.read(descriptor: 0, limit: maxInputBytes) {
        case .success(let bytes): input = bytes
        case .failure(.tooLarge): fail("invalid_input", "stdin is larger than --max-input (\(maxInputBytes) bytes)")
        case .failure(let failure): fail("invalid_input", "cannot read stdin: \(failure)")
        }
        let document: JSONValue
        do {
            document = try JSONParser.parse(input)
        } catch {
            fail("invalid_input", "stdin is not JSON: \(error)")
        }
        guard let listings = Valuation.listings(document) else {
            fail("invalid_input", "stdin must be what `lens-gpt search` prints for a marketplace: {\"state\", \"listings\"} or an array of them")
        }
        let place = Setting.string(country, env: "LENS_GPT_COUNTRY", default: "US").uppercased()
        let identity = ProductIdentity(producer: producer, model: model, confidence: 1, method: "given")
        let (offers, tally) = Valuation.select(listings, identity: identity)
        var estimator = PriceEstimator()
        estimator.preferredCurrency = CountryCurrency.code(for: place)
        print(JSONValue.object(Valuation.estimate(offers: offers, tally: tally, retail: nil, estimator: estimator).payload).serialized())
    }

    private func fail(_ code: String, _ message: String) -> Never {
        let line = JSONValue.object(["error": ["code": .string(code), "message": .string(message), "retryable": false]]).serialized() + "\n"
        let bytes = Array(line.utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
        Glibc.exit(1)
    }
}
