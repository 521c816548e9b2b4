import ArgumentParser
import DemoWorld
import Foundation
import JSON
import Pipeline
import TestSupport
import Testing
@testable import LensGPT


/// Every numeric option is range-checked when the command line is parsed, and the refusal names
/// the option and its range.
struct SettingRangeTests {
    /// (command line, what the refusal must name). Flags only: a flag wins over its variable,
    /// so the test does not depend on the environment it runs in.
    static let table: [([String], String)] = [
        (["serve", "--port", "99999"], "--port (LENS_GPT_PORT) must be a whole number from 0 to 65535"),
        (["serve", "--port=-1"], "--port (LENS_GPT_PORT) must be a whole number from 0 to 65535"),
        (["serve", "--tls-cert", "c.pem", "--tls-key", "k.pem", "--tls-port", "70000"], "--tls-port (LENS_GPT_TLS_PORT) must be a whole number from 0 to 65535"),
        (["serve", "--workers", "0"], "--workers (LENS_GPT_WORKERS) must be a whole number from 1 to 1024"),
        (["serve", "--loops", "100000"], "--loops (LENS_GPT_LOOPS) must be a whole number from 1 to 256"),
        (["serve", "--max-upload", "2GiB"], "--max-upload (LENS_GPT_MAX_UPLOAD) must be a size from 1 to 1GiB"),
        (["serve", "--header-timeout-ms", "0"], "--header-timeout-ms (LENS_GPT_HEADER_TIMEOUT_MS) must be a whole number from 1 to 3600000"),
        (["serve", "--shutdown-grace-ms", "3600001"], "--shutdown-grace-ms (LENS_GPT_SHUTDOWN_GRACE_MS) must be a whole number from 0 to 3600000"),
        (["serve", "--retention-days", "99999999999999999"], "--retention-days (LENS_GPT_RETENTION_DAYS) must be a whole number from 1 to 3650"),
        (["serve", "--access-log-flush-ms", "0"], "--access-log-flush-ms (LENS_GPT_ACCESS_LOG_FLUSH_MS) must be a whole number from 1 to 60000"),
        (["serve", "--synthetic-stage-ms=-5"], "--synthetic-stage-ms (LENS_GPT_SYNTHETIC_STAGE_MS) must be a whole number from 0 to 3600000"),
        (["serve", "--browser-pool-size", "1000"], "--browser-pool-size (LENS_GPT_BROWSER_POOL_SIZE) must be a whole number from 1 to 64"),
        (["serve", "--diagnostics-max-files", "x"], "--diagnostics-max-files (LENS_GPT_DIAGNOSTICS_MAX_FILES) must be a whole number"),
        (["serve", "--photo-text-min-confidence", "101"], "--photo-text-min-confidence (LENS_GPT_PHOTO_TEXT_MIN_CONFIDENCE) must be a whole number from 0 to 100"),
        (["serve", "--photo-memory-budget", "1MiB"], "--photo-memory-budget (LENS_GPT_PHOTO_MEMORY_BUDGET) must be a size from 16MiB to 64GiB"),
        (["serve", "--identify-floor", "1.5"], "--identify-floor (LENS_GPT_IDENTIFY_FLOOR) must be a number from 0 to 1"),
        (["serve", "--refine-below=-0.1"], "--refine-below (LENS_GPT_REFINE_BELOW) must be a number from 0 to 1"),
        (["serve", "--canary-interval", "5"], "--canary-interval (LENS_GPT_CANARY_INTERVAL) must be a whole number from 100 to 86400000"),
        (["serve", "--fetch-timeout-ms", "0"], "--fetch-timeout-ms (LENS_GPT_FETCH_TIMEOUT_MS) must be a whole number from 1 to 600000"),
        (["serve", "--max-page", "10"], "--max-page (LENS_GPT_MAX_PAGE) must be a size from 1KiB to 1GiB"),
        (["serve", "--ebay-api-limit", "201"], "--ebay-api-limit (LENS_GPT_EBAY_API_LIMIT) must be a whole number from 1 to 200"),
        (["serve", "--barcode-cache-seconds", "0"], "--barcode-cache-seconds (LENS_GPT_BARCODE_CACHE_SECONDS) must be a whole number from 1 to 2592000"),
        (["classify", "photo.jpg", "--lens-timeout-ms", "0"], "--lens-timeout-ms (LENS_GPT_LENS_TIMEOUT_MS) must be a whole number from 1 to 3600000"),
        (["read", "photo.jpg", "--photo-text-max-lines", "0"], "--photo-text-max-lines (LENS_GPT_PHOTO_TEXT_MAX_LINES) must be a whole number from 1 to 10000"),
        (["search", "ebay", "--timeout-ms", "0"], "--timeout-ms must be a whole number from 1 to 3600000"),
        (["search", "ebay", "--max", "0"], "--max must be a whole number from 1 to 1000"),
        (["demo-world", "--port", "65536"], "--port must be a whole number from 0 to 65535"),
        (["dev-cert", "--out", "x", "--days", "0"], "--days must be a whole number from 1 to 3650"),
    ]

    @Test(arguments: table)
    func refusedWithTheOptionAndItsRange(arguments: [String], expected: String) {
        do {
            _ = try LensGPTCommand.parseAsRoot(arguments)
            Issue.record("\(arguments) was accepted")
        } catch {
            let message = LensGPTCommand.message(for: error)
            #expect(message.contains(expected), "\(arguments): \(message)")
            #expect(LensGPTCommand.exitCode(for: error) == .validationFailure)
        }
    }

    @Test func valuesAtTheEdgesAreAccepted() throws {
        _ = try LensGPTCommand.parseAsRoot(["serve", "--port", "65535", "--workers", "1024", "--identify-floor", "1", "--max-upload", "1GiB"])
        _ = try LensGPTCommand.parseAsRoot(["serve", "--port", "0", "--shutdown-grace-ms", "0"])
    }

    @Test func sizesAreNamedInTheirUnit() {
        #expect(Setting.sizeText(1 << 30) == "1GiB")
        #expect(Setting.sizeText(16 << 20) == "16MiB")
        #expect(Setting.sizeText(1000) == "1000")
    }
}

/// One error convention: a JSON line on stderr, exit 64 for a refused command line.
@Suite(.enabled(if: lensGPTBinary != nil, "SKIPPED: no lens-gpt built beside the tests"))
struct CommandLineContractTests {
    struct Run {
        let status: Int32
        let out: String
        let err: String
        var error: JSONValue? { (try? JSONParser.parse(err))?["error"] }
    }

    static func run(_ arguments: [String], directory: String? = nil, environment extra: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: lensGPTBinary ?? "/nonexistent")
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        for name in environment.keys where name.hasPrefix("LENS_GPT_") { environment[name] = nil }
        for (name, value) in extra { environment[name] = value }
        process.environment = environment
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Both pipes drained at once: a child blocked on a full stderr would never exit.
        let group = DispatchGroup()
        let errText = ErrText()
        DispatchQueue.global().async(group: group) { errText.value = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        group.wait()
        return Run(status: process.terminationStatus, out: String(decoding: stdout, as: UTF8.self), err: errText.value)
    }

    @Test func aMistypedCommandGetsTheNearestName() throws {
        let run = try Self.run(["clasify", "photo.jpg"])
        #expect(run.status == 64)
        #expect(run.error?["code"] == "invalid_arguments")
        #expect(run.error?["message"]?.stringValue?.contains("did you mean classify?") == true, "\(run.err)")
        let far = try Self.run(["zzzzzzzz"])
        #expect(far.status == 64 && far.error?["message"]?.stringValue?.contains("the commands are") == true, "\(far.err)")
    }

    @Test func aPortOutOfRangeIsRefusedNotWrapped() throws {
        let flag = try Self.run(["serve", "--port", "99999"])
        #expect(flag.status == 64, "\(flag.err)")
        #expect(flag.error?["message"]?.stringValue?.contains("--port (LENS_GPT_PORT) must be a whole number from 0 to 65535") == true, "\(flag.err)")
        let variable = try Self.run(["serve"], environment: ["LENS_GPT_PORT": "99999"])
        #expect(variable.status == 64 && variable.error?["code"] == "invalid_arguments", "\(variable.err)")
    }

    @Test func aMissingOrEmptyPhotoReadsTheSameInClassifyAndRead() throws {
        let directory = NSTemporaryDirectory() + "lens-gpt-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let empty = directory + "/empty.jpg"
        #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
        let missing = directory + "/missing.jpg"
        for path in [empty, missing] {
            let classify = try Self.run(["classify", path, "--format", "json", "--no-browser"])
            let read = try Self.run(["read", path])
            #expect(classify.status == 1 && read.status == 1, "\(classify.err) \(read.err)")
            #expect(classify.error != nil && classify.error == read.error, "\(classify.err) vs \(read.err)")
            #expect(read.out.isEmpty, "read wrote its error to stdout: \(read.out)")
        }
        // The server's own words for an empty file.
        #expect(try Self.run(["read", empty]).error == PhotoFile.refusal(.empty))
        #expect(PhotoFile.refusal(.empty)["code"] == "empty_file")
    }

    @Test func readTakesOneLanguageOptionAndNoPipelineSwitches() throws {
        let run = try Self.run(["read", "x.png", "--no-photo-reading"])
        #expect(run.status == 64 && run.error?["code"] == "invalid_arguments", "\(run.err)")
        let help = try Self.run(["read", "--help"])
        #expect(help.status == 0, "\(help.err)")
        #expect(help.out.contains("--photo-text-language") && !help.out.contains("--language "), "\(help.out)")
        #expect(try Self.run(["--help"]).status == 0)
        #expect(try Self.run(["help", "serve"]).out.contains("--port"))
    }

    /// `search` in an empty directory leaves it empty: chromedriver's log goes to the user's state directory.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver"), "chromedriver is not installed"))
    func searchLeavesTheWorkingDirectoryEmpty() throws {
        let world = try DemoWorld()
        defer { world.shutdown() }
        let base = NSTemporaryDirectory() + "lens-gpt-cwd-\(UUID().uuidString)"
        let work = base + "/work", home = base + "/home"
        for path in [work, home] { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        defer { try? FileManager.default.removeItem(atPath: base) }
        let run = try Self.run(["search", "ebay", "--url", world.baseURL + "/", "--timeout-ms", "30000"], directory: work,
                               environment: ["HOME": home, "XDG_STATE_HOME": ""])
        #expect([0, 1, 3, 4].contains(run.status), "\(run.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: work).isEmpty, "\(run.err)")
        #expect(FileManager.default.fileExists(atPath: home + "/.local/state/lens-gpt/chromedriver.log"), "\(run.err)")
    }
}

/// stderr's text, written by the reader before `group.wait()` returns and read after it.
private final class ErrText: @unchecked Sendable {  // one writer, then one reader ordered by the DispatchGroup
    var value = ""
}

/// The summary a terminal gets from `classify`.
struct ClassifySummaryTests {
    static func event(_ name: String, _ data: JSONValue) -> ResultEvent {
        ResultEvent(id: 1, name: name, payload: data)
    }

    @Test func anAbstentionIsNoCheckMark() throws {
        let data: JSONValue = ["producer": .null, "model": .null, "confidence": 0.2, "method": "heuristic", "floor": 0.4,
                               "candidates": [["producer": "Samsung", "model": "Galaxy", "support": 0.24, "confidence": 0.2]]]
        let line = try #require(ClassifySummary.line(Self.event("model-producer", data)))
        #expect(!line.contains("✓") && !line.contains("? ?"), "\(line)")
        #expect(line.contains("not identified") && line.contains("Samsung Galaxy"), "\(line)")
        let named = try #require(ClassifySummary.line(Self.event("model-producer", ["producer": "Sony", "model": "WH-1000XM4", "confidence": 0.9, "method": "llm"])))
        #expect(named.hasPrefix("✓ it is: Sony WH-1000XM4"), "\(named)")
    }

    @Test func salesAreCountedApartFromOffers() throws {
        let offers: JSONValue = [
            ["price": "40.00", "currency": "USD", "title": "lamp"],
            ["price": "35.00", "currency": "USD", "title": "lamp", "sold": true, "sold_date": "2026-10-01"],
            ["price": "38.00", "currency": "USD", "title": "lamp", "sold": true],
        ]
        let line = try #require(ClassifySummary.line(Self.event("second-hand-offers", offers)))
        #expect(line.contains("1 offer for sale, 2 sales"), "\(line)")
        #expect(line.contains("sold 35.00 USD on 2026-10-01"), "\(line)")
        let estimate: JSONValue = ["price": "38", "currency": "USD", "min_range": "35", "max_range": "40", "certainty": 0.5,
                                   "basis": "comparables", "sold_sample_size": 2, "active_sample_size": 1]
        let worth = try #require(ClassifySummary.line(Self.event("estimated-price", estimate)))
        #expect(worth.contains("from 2 sales and 1 offer"), "\(worth)")
    }

    @Test func barcodesAndPrintedTextInWords() throws {
        let codes: JSONValue = [["symbology": "EAN-13", "value": "4006381333931", "gtin": "04006381333931", "decoders": ["zbar"]]]
        let barcodes = try #require(ClassifySummary.line(Self.event("barcodes", codes)))
        #expect(barcodes == "✓ barcode: EAN-13 4006381333931 (GTIN 04006381333931)")
        #expect(ClassifySummary.line(Self.event("barcodes", [])) == "· barcodes: none in the photo")
        let text: JSONValue = ["text": "STABILO\nBOSS", "lines": ["STABILO", "BOSS"], "words": [], "language": "eng", "truncated": false]
        let printed = try #require(ClassifySummary.line(Self.event("photo-text", text)))
        #expect(printed == "✓ printed text: \"STABILO\" / \"BOSS\"", "\(printed)")
        #expect(!printed.contains("{"))
    }
}
