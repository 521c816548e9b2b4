import ArgumentParser
import Foundation

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
            DemoWorldCommand.self,
        ]
    )

    /// `lens-gpt --version`.
    public static let version = "lens-gpt 0.16.0"

    public init() {}

    /// Parses and runs like `main()`, but an error a subcommand throws while running is reported
    /// with that subcommand's usage, not the root command's.
    public static func runMain(_ arguments: [String]? = nil) -> Never {
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
            FileHandle.standardError.write(Data("Error: \(error.message)\nUsage: \(usage)\n  See '\(name) --help' for more information.\n".utf8))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        } catch {
            exit(withError: error)
        }
    }
}
