import ArgumentParser
import Glibc
import Imaging
import JSON
import Pipeline
import Producers
import SystemSupport

/// `lens-gpt lens IMAGE`: one visual search, matches as a JSON array on stdout.
struct LensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lens",
        abstract: "Search one photo with Lens and print the visual matches as JSON.",
        discussion: "Prints a JSON array of matches on stdout and exits 0, or a JSON error on stderr and exits 1."
    )

    @Argument(help: "A PNG, JPEG or WebP photo.") var image: String?
    @OptionGroup var lens: LensOptions
    @OptionGroup var browsing: BrowserRunOptions
    @Flag(help: "Print the built-in Google Lens profile (to edit and pass back with --lens-profile) and exit.") var printProfile = false

    func run() throws {
        if printProfile {
            print(LensProfile.googleLensText, terminator: "")
            return
        }
        guard let image else { throw ValidationError("IMAGE is required") }
        signal(SIGPIPE, SIG_IGN)
        guard let bytes = LensCommand.readFile(image) else {
            fail("image_missing", "cannot read \(image)", retryable: false)
        }
        guard let header = ImageHeader.parse(Array(bytes.prefix(ImageHeader.sniffLength))) else {
            fail("unsupported_media_type", "\(image) is not a PNG, JPEG or WebP image", retryable: false)
        }
        let dataDirectory = browsing.dataDirectory()
        let setup: LensSetup
        do {
            guard let made = try LensSetup.make(lens, dataDirectory: dataDirectory, defaultPoolSize: 1) else {
                fail("browser_unavailable", "no WebDriver URL is set and chromedriver is not on PATH", retryable: false)
            }
            setup = made
        } catch {
            fail("invalid_settings", "\(error)", retryable: false)
        }
        defer { setup.pool.shutdown() }
        do {
            let matches = try setup.runner.search(bytes: bytes, format: header.format.rawValue, path: image,
                                                  name: "cli", timeoutMillis: browsing.timeoutMs)
            print(JSONValue.array(matches.map(\.json)).serialized())
        } catch {
            setup.pool.shutdown()
            fail(error.code, error.message, retryable: error.retryable, artifacts: error.artifacts)
        }
    }

    private func fail(_ code: String, _ message: String, retryable: Bool, artifacts: [String] = []) -> Never {
        CommandOutput.fail(code, message, retryable: retryable, artifacts: artifacts)
    }

    /// A photo or text file named on the command line, read whole (no limit: the caller chose it).
    static func readFile(_ path: String) -> [UInt8]? { try? BoundedFile.read(path, limit: .max).get() }
}
