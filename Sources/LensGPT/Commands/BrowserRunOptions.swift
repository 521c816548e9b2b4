import ArgumentParser

/// What the one-shot browser commands (`lens`, `search`, `visual-search`) share: where
/// chromedriver's files go, and how long the whole search may take.
struct BrowserRunOptions: ParsableArguments {
    @Option(help: ArgumentHelp(CommandDataDirectory.help)) var dataDir: String?
    @Option(help: "Time limit of the whole search in ms (default 60000).") var timeoutMs: Int = 60_000

    func validate() throws {
        try Setting.check(timeoutMs, "--timeout-ms", in: 1...3_600_000)
    }

    /// The data directory, created (`CommandDataDirectory`).
    func dataDirectory() -> String { CommandDataDirectory.make(dataDir) }
}
