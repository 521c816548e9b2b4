import JSON

/// Typed reads of a profile file's fields (the Lens profile and the search profiles), with
/// messages that name the field; `invalid` makes the caller's own error from a message.
struct ProfileFieldReader<Failure: Error> {
    let root: JSONValue
    let origin: String
    let invalid: (String) -> Failure

    func value(_ path: [String]) -> JSONValue? {
        var current: JSONValue? = root
        for key in path { current = current?[key] }
        return current
    }

    func string(_ path: String..., default fallback: String? = nil) throws(Failure) -> String {
        if let text = value(path)?.stringValue, !text.isEmpty { return text }
        if let fallback { return fallback }
        throw failure(path, "must be a non-empty string")
    }

    func strings(_ path: String...) throws(Failure) -> [String] {
        guard let found = value(path) else { return [] }
        guard let items = found.arrayValue, items.allSatisfy({ $0.stringValue != nil }) else {
            throw failure(path, "must be a list of strings")
        }
        return items.compactMap(\.stringValue)
    }

    func int(_ path: String..., default fallback: Int) throws(Failure) -> Int {
        guard let found = value(path) else { return fallback }
        guard let number = found.intValue, number >= 0 else { throw failure(path, "must be a whole number ≥ 0") }
        return number
    }

    /// An optional regular expression: nil when absent, an error when it is not a string or does not compile.
    func pattern(_ path: String...) throws(Failure) -> String? {
        guard let found = value(path) else { return nil }
        guard let text = found.stringValue, !text.isEmpty, (try? Regex(text)) != nil else {
            throw failure(path, "must be a regular expression")
        }
        return text
    }

    /// A results URL template: http(s) with `{query}` where the query goes.
    func checkTemplate(_ template: String, field: String) throws(Failure) {
        guard template.contains("{query}"), template.hasPrefix("http://") || template.hasPrefix("https://") else {
            throw invalid("\(origin): \(field) must be an http(s) URL with {query} in it")
        }
    }

    private func failure(_ path: [String], _ rule: String) -> Failure {
        invalid("\(origin): \(path.joined(separator: ".")) \(rule)")
    }
}
