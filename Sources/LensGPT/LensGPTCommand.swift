import ArgumentParser
import Foundation
import Producers
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

    /// Declares the credential variables the shipped API descriptions name as secrets (the
    /// registry sits below the layer that reads them).
    static func declareSecrets() {
        SecretSettings.declare(MarketplaceAPIs.credentialVariables.map { SecretSetting($0) })
    }

    /// `lens-gpt --version`.
    public static let version = "lens-gpt 0.16.0"

    public init() {}

    /// Parses and runs like `main()`, but every refusal and failure speaks the command line's one
    /// error contract (`CommandOutput`): a JSON line on stderr, exit 64 for a refused command line,
    /// 1 for a failure while running. `--help` and `--version` print as usual.
    public static func runMain(_ arguments: [String]? = nil) -> Never {
        // Before anything can log or fail: the declared secrets' values, so no output carries them.
        declareSecrets()
        SecretScrubber.shared.registerEnvironment()
        let given = arguments ?? Array(CommandLine.arguments.dropFirst())
        if let first = given.first, let refusal = unknownSubcommand(first) { CommandOutput.refuse(refusal, help: "lens-gpt --help") }
        var command: ParsableCommand
        do {
            command = try parseAsRoot(given)
        } catch {
            let status = exitCode(for: error)
            // Help and the version are answers, not refusals.
            if status == .success { exit(withError: error) }
            let subcommand = given.first { !$0.hasPrefix("-") }.flatMap(subcommandNamed)
            CommandOutput.refuse(scrubbed(refusal(error)), help: helpHint(subcommand))
        }
        do {
            try command.run()
            exit()
        } catch let error as ValidationError {
            CommandOutput.refuse(scrubbed(error.message), help: helpHint(type(of: command)))
        } catch let error as ExitCode {
            // The command has already said why.
            exit(withError: error)
        } catch let error as CleanExit {
            exit(withError: error)
        } catch let error as SettingError {
            CommandOutput.fail("invalid_settings", scrubbed(error.description))
        } catch {
            // `--help` arrives here as the help command's error: an answer, printed as ArgumentParser does.
            let status = exitCode(for: error)
            if status == .success { exit(withError: error) }
            if status == .validationFailure { CommandOutput.refuse(scrubbed(message(for: error)), help: helpHint(type(of: command))) }
            // Printed to the terminal, which may be a collected log: scrubbed like every other output.
            CommandOutput.fail("failed", scrubbed(String(describing: error)))
        }
    }

    private static func scrubbed(_ text: String) -> String { SecretScrubber.shared.scrub(text) }

    /// ArgumentParser's message, with the option's own help when it names one ("Missing value for
    /// '--shutdown-grace-ms'" then says what the value is: `-1` reads as an option, not a value).
    private static func refusal(_ error: Error) -> String {
        let help = fullMessage(for: error).split(separator: "\n").first { $0.hasPrefix("Help:") }
        let optionHelp = help.map { $0.dropFirst("Help:".count).split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        return message(for: error) + (optionHelp.map { " (\($0))" } ?? "")
    }

    private static func subcommandNamed(_ name: String) -> ParsableCommand.Type? {
        for subcommand in configuration.subcommands where subcommand.configuration.commandName == name { return subcommand }
        return nil
    }

    private static func helpHint(_ command: ParsableCommand.Type?) -> String {
        command?.configuration.commandName.map { "lens-gpt \($0) --help" } ?? "lens-gpt --help"
    }

    /// The refusal of a first word that names no subcommand, with the nearest name when one is
    /// close ("clasify" → classify); nil when the word is a subcommand, an option or `help`.
    static func unknownSubcommand(_ word: String) -> String? {
        guard !word.hasPrefix("-"), word != "help", subcommandNamed(word) == nil else { return nil }
        var names: [String] = []
        for subcommand in configuration.subcommands {
            if let name = subcommand.configuration.commandName { names.append(name) }
        }
        var nearest = ""
        var distance = Int.max
        for name in names {
            let d = EditDistance.between(word.lowercased(), name)
            if d < distance { (nearest, distance) = (name, d) }
        }
        guard distance <= max(2, nearest.count / 3) else {
            return "unknown command \"\(word)\"; the commands are \(names.joined(separator: ", "))"
        }
        return "unknown command \"\(word)\"; did you mean \(nearest)?"
    }
}
