import ArgumentParser
import Glibc
import JSON
import Producers

/// `lens-gpt identify`: producer and model from titles alone, by the same consensus and floor as
/// `model-producer`'s heuristic method; one JSON object on stdout.
struct IdentifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identify",
        abstract: "Name the producer and model that a list of titles agrees on, or abstain.",
        discussion: """
            Reads one title per line (optionally a TAB and the domain it came from) from --titles or stdin, and prints \
            {"producer", "model", "confidence", "method", "candidates", "evidence"}; producer and model are null when \
            no candidate reaches the confidence floor. Exits 0, or 1 with a JSON error on stderr.
            """
    )

    @Option(help: "File of titles, one per line, optionally TAB and the domain (default: stdin).")
    var titles: String?

    @Option(help: "Confidence below which identification abstains, 0 to 1 (LENS_GPT_IDENTIFY_FLOOR, default \(IdentificationProducer.defaultFloor)).")
    var identifyFloor: String?

    /// More input than any list of visual matches or listings; a longer file is refused, not cut.
    static let maxInputBytes = 8 * 1024 * 1024

    func run() throws {
        let floor: Double
        do {
            floor = try Setting.fraction(identifyFloor, env: "LENS_GPT_IDENTIFY_FLOOR", default: IdentificationProducer.defaultFloor)
        } catch {
            fail("invalid_setting", "\(error)")
        }
        let text: String
        if let titles {
            guard let bytes = LensCommand.readFile(titles) else { fail("titles_missing", "cannot read \(titles)") }
            guard bytes.count <= Self.maxInputBytes else { fail("titles_too_large", "\(titles) is over \(Self.maxInputBytes) bytes") }
            text = String(decoding: bytes, as: UTF8.self)
        } else {
            var lines: [String] = []
            var total = 0
            while let line = readLine(strippingNewline: true) {
                total += line.utf8.count + 1
                guard total <= Self.maxInputBytes else { fail("titles_too_large", "stdin is over \(Self.maxInputBytes) bytes") }
                lines.append(line)
            }
            text = lines.joined(separator: "\n")
        }
        print(TitleIdentification.identify(TitleIdentification.titles(fromLines: text), floor: floor).serialized())
    }

    private func fail(_ code: String, _ message: String) -> Never {
        let line = JSONValue.object(["error": ["code": .string(code), "message": .string(message)]]).serialized() + "\n"
        let bytes = Array(line.utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
        Glibc.exit(1)
    }
}
