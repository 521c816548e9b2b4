import Glibc

/// Where the one-shot commands (`search`, `lens`, `visual-search`) keep chromedriver's log, its
/// process files and failure screenshots: `--data-dir`, else `LENS_GPT_DATA_DIR`, else the
/// user's state directory (`$XDG_STATE_HOME/lens-gpt`, or `~/.local/state/lens-gpt`), never the
/// directory the command happens to run in.
enum CommandDataDirectory {
    static let help = "Directory for chromedriver's log and failure screenshots (LENS_GPT_DATA_DIR, default $XDG_STATE_HOME/lens-gpt or ~/.local/state/lens-gpt)."

    static func path(_ flag: String?) -> String {
        if let named = Setting.string(flag, env: "LENS_GPT_DATA_DIR") { return named }
        if let state = Setting.environment("XDG_STATE_HOME"), state.hasPrefix("/") { return state + "/lens-gpt" }
        if let home = Setting.environment("HOME"), home.hasPrefix("/") { return home + "/.local/state/lens-gpt" }
        // No home at all (a bare service account): the system's temporary directory, not the working one.
        return "/tmp/lens-gpt-\(getuid())"
    }

    /// The directory, created with its parents; a JSON error and exit 1 when it cannot be.
    static func make(_ flag: String?) -> String {
        let directory = path(flag)
        LensSetup.makeDirectories(directory)
        var info = stat()
        guard stat(directory, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            CommandOutput.fail("storage_unavailable", "cannot create \(directory)")
        }
        return directory
    }
}
