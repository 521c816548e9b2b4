import ArgumentParser

/// `lens-gpt`: the root command. Each subcommand lives in `Commands/`.
public struct LensGPTCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "lens-gpt",
        abstract: "Identify a product from a photo and stream what it is and what it is worth.",
        subcommands: [
            ServeCommand.self,
            ClassifyCommand.self,
            DevCertCommand.self,
            ExtractCommand.self,
            PriceCommand.self,
            LensCommand.self,
            DiagnosticsCommand.self,
            DemoWorldCommand.self,
        ]
    )

    public init() {}
}
