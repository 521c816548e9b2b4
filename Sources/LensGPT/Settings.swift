import ArgumentParser
import Glibc
import Secrets
import SystemSupport

/// A setting's value from its flag, else its `LENS_GPT_*` variable, else its default.
struct SettingError: Error, CustomStringConvertible {
    let description: String
}

enum Setting {
    static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }

    static func string(_ flag: String?, env: String, default value: String) -> String {
        flag ?? environment(env) ?? value
    }

    /// A secret that may come from a flag (visible to every user of the machine in `ps`), a file
    /// named by `fileFlag` or `fileEnv`, or the variable `env`, in that order. Whatever is found is
    /// registered with the secret scrubber as `setting`. Both flags at once is an error.
    static func secret(_ flag: String?, flagName: String, file fileFlag: String?, fileFlagName: String, fileEnv: String,
                       env: String, as setting: SecretSetting) throws -> String?
    {
        if flag != nil && fileFlag != nil {
            throw SettingError(description: "give \(flagName) or \(fileFlagName), not both")
        }
        let value: String?
        if let flag {
            value = flag
        } else if let path = fileFlag ?? environment(fileEnv) {
            value = try secretFile(path, setting: fileFlag != nil ? fileFlagName : fileEnv)
        } else {
            value = environment(env)
        }
        if let value { SecretScrubber.shared.register(value, as: setting) }
        return value
    }

    /// Largest secret file read: a cookie line or a URL, not a document.
    static let maxSecretFileBytes = 64 * 1024

    /// The file's text without its trailing line break.
    static func secretFile(_ path: String, setting: String) throws -> String {
        var bytes: [UInt8]
        switch BoundedFile.read(path, limit: maxSecretFileBytes) {
        case .success(let read): bytes = read
        case .failure(.tooLarge): throw SettingError(description: "\(setting): \(path) is larger than \(maxSecretFileBytes) bytes")
        case .failure(let failure): throw SettingError(description: "\(setting): cannot read \(path): \(failure)")
        }
        while let last = bytes.last, last == 0x0A || last == 0x0D || last == 0x20 || last == 0x09 { bytes.removeLast() }
        guard let text = String(validating: bytes, as: UTF8.self), !text.isEmpty else {
            throw SettingError(description: "\(setting): \(path) is empty or not UTF-8 text")
        }
        return text
    }

    /// The flag a `LENS_GPT_*` variable goes with: `LENS_GPT_HEADER_TIMEOUT_MS` → `--header-timeout-ms`.
    static func flagName(forEnvironment env: String) -> String {
        let prefix = "LENS_GPT_"
        let name = env.hasPrefix(prefix) ? String(env.dropFirst(prefix.count)) : env
        return "--" + name.lowercased().map { $0 == "_" ? "-" : $0 }.map(String.init).joined()
    }

    /// How a refusal names the setting: `--port (LENS_GPT_PORT)`.
    static func label(env: String, flagName: String?) -> String {
        "\(flagName ?? Setting.flagName(forEnvironment: env)) (\(env))"
    }

    /// A whole number within `range`; every numeric setting says its range, so a value that would
    /// wrap (a port of 99999) or starve the server (0 workers) is refused at start, naming the option.
    static func int(_ flag: String?, env: String, flagName: String? = nil, default value: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = flag ?? environment(env) else { return value }
        guard let parsed = Int(text.trimmingCharacters(in: " ")), range.contains(parsed) else {
            throw SettingError(description: "\(label(env: env, flagName: flagName)) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \"\(text)\"")
        }
        return parsed
    }

    /// A number ArgumentParser already parsed (`--timeout-ms`), refused outside `range` like the others.
    static func check(_ value: Int, _ flagName: String, in range: ClosedRange<Int>) throws {
        guard range.contains(value) else {
            throw ValidationError("\(flagName) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \(value)")
        }
    }

    /// Runs `check` for an options group's `validate()`: a refused setting refuses the command line.
    static func validating(_ check: () throws -> Void) throws {
        do {
            try check()
        } catch let error as ValidationError {
            throw error
        } catch {
            throw ValidationError("\(error)")
        }
    }

    static func bool(_ flag: Bool, env: String) throws -> Bool {
        if flag { return true }
        guard let text = environment(env)?.lowercased() else { return false }
        switch text {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw SettingError(description: "\(env) must be true or false, not \"\(text)\"")
        }
    }

    /// A number from 0 to 1 (a share or a confidence).
    static func fraction(_ flag: String?, env: String, flagName: String? = nil, default value: Double) throws -> Double {
        guard let text = flag ?? environment(env) else { return value }
        guard let parsed = Double(text.trimmingCharacters(in: " ")), parsed >= 0, parsed <= 1 else {
            throw SettingError(description: "\(label(env: env, flagName: flagName)) must be a number from 0 to 1, not \"\(text)\"")
        }
        return parsed
    }

    /// A byte size within `range`: `20MiB`, `512KiB`, `1GiB`, `20MB` or plain bytes.
    static func bytes(_ flag: String?, env: String, flagName: String? = nil, default value: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = flag ?? environment(env) else { return value }
        guard let parsed = parseBytes(text), range.contains(parsed) else {
            throw SettingError(description: "\(label(env: env, flagName: flagName)) must be a size from \(sizeText(range.lowerBound)) to \(sizeText(range.upperBound)), such as 20MiB or 1048576, not \"\(text)\"")
        }
        return parsed
    }

    /// `1048576` → `1MiB`; sizes that are no whole number of KiB stay bytes.
    static func sizeText(_ bytes: Int) -> String {
        for (unit, size) in [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] where bytes >= size && bytes % size == 0 {
            return "\(bytes / size)\(unit)"
        }
        return "\(bytes)"
    }

    static func parseBytes(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: " ")
        let digits = trimmed.prefix { $0.isNumber }
        guard let number = Int(digits), number >= 0 else { return nil }
        let unit = trimmed.dropFirst(digits.count).lowercased().trimmingCharacters(in: " ")
        let multipliers: [String: Int] = [
            "": 1, "b": 1, "k": 1024, "kb": 1000, "kib": 1024, "m": 1 << 20, "mb": 1_000_000, "mib": 1 << 20,
            "g": 1 << 30, "gb": 1_000_000_000, "gib": 1 << 30,
        ]
        guard let multiplier = multipliers[unit] else { return nil }
        let (result, overflow) = number.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : result
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: Character) -> String {
        String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}
