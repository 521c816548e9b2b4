import ArgumentParser
import Extraction
import JSON

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemSupport

/// `lens-gpt extract FILE... [--url URL]`: one JSON line per file with the page's product.
/// FILE is HTML, optionally gzip-compressed, or `-` for stdin. A file that cannot be read
/// still gets its line, with an `error` object instead of the fields, and the exit status is 1.
struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Extract the product (name, price, availability, ...) from saved HTML pages."
    )

    @Argument(help: "HTML files (optionally .gz), or '-' for stdin.")
    var files: [String]

    @Option(help: "The page's URL, used to pick the main product and the variant it names.")
    var url: String?

    @Flag(help: "Print the JSON-LD, microdata and OpenGraph the page declares instead of the product.")
    var structuredData = false

    func run() throws {
        var failed = false
        let limits = ExtractionLimits()
        for file in files {
            do {
                let bytes = try InputFile.read(file, maxBytes: limits.maxInputBytes, tooLarge: ExtractionError.tooLarge(limits.maxInputBytes))
                if structuredData {
                    let document = try HTMLDocument(html: try HTMLInput.decode(bytes, limits: limits))
                    var line: JSONObject = ["file": .string(file)]
                    for (key, value) in StructuredData(document: document, limits: limits).json.objectValue?.entries ?? [] {
                        line[key] = value
                    }
                    print(JSONValue.object(line).serialized())
                    continue
                }
                let record = try Extractor.extract(html: bytes, url: url, limits: limits)
                print(Self.json(file: file, record: record).serialized())
            } catch let error as ExtractionError {
                failed = true
                Self.report(file: file, code: error.code.rawValue, message: error.message)
            } catch let error as InputFile.Error {
                failed = true
                Self.report(file: file, code: "unreadable_file", message: error.message)
            }
        }
        if failed { throw ExitCode(1) }
    }

    static func report(file: String, code: String, message: String) {
        let line: JSONValue = ["file": .string(file), "error": ["code": .string(code), "message": .string(message)]]
        print(line.serialized())
        InputFile.writeToStandardError("lens-gpt extract: \(file): \(message)\n")
    }

    static func json(file: String, record: ProductRecord) -> JSONValue {
        // The same shape as the retail-price-details event: a list of {"name", "value"}.
        let specs: JSONValue = .array(record.specs.map { ["name": .string($0.name), "value": .string($0.value)] })
        return .object([
            "file": .string(file),
            "name": .optional(record.name),
            "brand": .optional(record.brand),
            "price": .optional(record.price),
            "currency": .optional(record.currency),
            "availability": .optional(record.availability),
            "sku": .optional(record.sku),
            "gtin": .optional(record.gtin),
            "mpn": .optional(record.mpn),
            "description": .optional(record.description),
            "material": .optional(record.material),
            "specs": specs,
            "image": .optional(record.image),
            "condition": .optional(record.condition?.rawValue),
            "method": .optional(record.method?.rawValue),
        ])
    }
}

/// Reads a file or stdin, stopping one byte past the limit so a huge file is refused
/// without being loaded.
enum InputFile {
    struct Error: Swift.Error {
        let message: String
    }

    /// `tooLarge`: the caller's own error for a file past `maxBytes` (its code and wording).
    static func read(_ path: String, maxBytes: Int, tooLarge: @autoclosure () -> Swift.Error) throws -> [UInt8] {
        let result = path == "-" ? BoundedFile.read(descriptor: 0, limit: maxBytes) : BoundedFile.read(path, limit: maxBytes)
        switch result {
        case .success(let bytes): return bytes
        case .failure(.tooLarge): throw tooLarge()
        case .failure(.open(let code)): throw Error(message: "cannot open: \(String(cString: strerror(code)))")
        case .failure(.read(let code)): throw Error(message: "cannot read: \(String(cString: strerror(code)))")
        }
    }

    static func writeToStandardError(_ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }
}
