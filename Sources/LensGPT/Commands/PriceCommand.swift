import ArgumentParser
import Extraction
import JSON

/// `lens-gpt price TEXT`: amount and currency read from price text, as one JSON line.
/// With no TEXT, reads one text per line from stdin and prints one JSON line for each.
struct PriceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "price",
        abstract: "Read the amount and currency from price text (\"1.234,56 €\" → 1234.56 EUR)."
    )

    @Argument(help: "The price text. Omit to read one text per line from stdin.")
    var text: String?

    @Option(help: "Text that names the currency when the price text may not (e.g. a nearby label).")
    var currencyHint: String?

    @Option(help: "The decimal separator, when known: '.', ',' or a symbol such as '€'.")
    var decimalSeparator: String?

    @Option(help: "ISO 4217 code the page is known to use; settles ambiguous symbols such as '$' or 'kr'.")
    var defaultCurrency: String?

    func validate() throws {
        if let decimalSeparator, decimalSeparator.count != 1 {
            throw ValidationError("--decimal-separator must be a single character")
        }
    }

    func run() throws {
        let options = PriceParser.Options(currencyHint: currencyHint,
                                          decimalSeparator: decimalSeparator?.first,
                                          defaultCurrency: defaultCurrency)
        if let text {
            print(Self.json(PriceParser.parse(text, options: options)))
            return
        }
        while let line = readLine(strippingNewline: true) {
            print(Self.json(PriceParser.parse(line, options: options)))
        }
    }

    static func json(_ price: ParsedPrice) -> String {
        JSONValue.object([
            "amount": .optional(price.amount),
            "currency": .optional(price.currency),
            "currency_text": .optional(price.currencyText),
        ]).serialized()
    }
}
