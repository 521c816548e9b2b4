import ArgumentParser
import Foundation
import Secrets

/// `lens-gpt`: the root command. Each subcommand lives in `Commands/`.
public struct LensGPTCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "lens-gpt",
        abstract: "Identify a product from a photo and stream what it is and what it is worth.",
        version: LensGPTCommand.version,
        subcommands: [
            ServeCommand.self,
            ClassifyCommand.self,
            DevCertCommand.self,
            ExtractCommand.self,
            ReadCommand.self,
            PriceCommand.self,
            EstimateCommand.self,
            LensCommand.self,
            DiagnosticsCommand.self,
            IdentifyCommand.self,
            SearchCommand.self,
            VisualSearchCommand.self,
            LookupCommand.self,
            DemoWorldCommand.self,
        ]
    )

    /// `lens-gpt --version`.
    public static let version = "lens-gpt 0.16.0"

    public init() {}

    /// Parses and runs like `main()`, but an error a subcommand throws while running is reported
    /// with that subcommand's usage, not the root command's.
    public static func runMain(_ arguments: [String]? = nil) -> Never {
        // Before anything can log or fail: the declared secrets' values, so no output carries them.
        SecretScrubber.shared.registerEnvironment()
        var command: ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            exit(withError: error)
        }
        do {
            try command.run()
            exit()
        } catch let error as ValidationError {
            // ArgumentParser would print the root's usage here; the user ran a subcommand.
            let subcommand = type(of: command)
            let name = subcommand.configuration.commandName.map { "lens-gpt \($0)" } ?? "lens-gpt"
            let usage = usageString(for: subcommand)
            FileHandle.standardError.write(Data("Error: \(SecretScrubber.shared.scrub(error.message))\nUsage: \(usage)\n  See '\(name) --help' for more information.\n".utf8))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        } catch let error as ExitCode {
            exit(withError: error)
        } catch let error as CleanExit {
            exit(withError: error)
        } catch {
            // Printed to the terminal, which may be a collected log: scrubbed like every other output.
            exit(withError: ScrubbedError(description: SecretScrubber.shared.scrub(String(describing: error))))
        }
    }
}

/// A failure's text with the secrets taken out.
struct ScrubbedError: Error, CustomStringConvertible {
    let description: String
}
