import JSON

/// Maps schema.org `itemCondition` values and marketplace wording ("Pre-owned", "Gebraucht",
/// "Très bon état", "New with tags") to `ProductCondition`, using the vocabulary in
/// `Resources/condition-vocabulary.json` (condition → phrases, matched as whole words,
/// case-insensitively), edited as data and compiled into the binary.
///
/// A text can contain several phrases ("Used - Very good", "Gebraucht – sehr gut"); the most
/// specific grade wins, so the grade beats the generic "used", and "like new" beats "new".
public enum ConditionNormalizer {
    /// Most specific first.
    static let precedence: [ProductCondition] = [.forParts, .likeNew, .veryGood, .good, .acceptable, .new, .used]

    static let phrases: [ProductCondition: [[String]]] = {
        var table: [ProductCondition: [[String]]] = [:]
        guard let object = (try? JSONParser.parse(PackageResources.condition_vocabulary_json))?.objectValue else { return table }
        for (key, value) in object.entries {
            guard let condition = ProductCondition(rawValue: key) else { continue }
            table[condition] = (value.arrayValue ?? []).compactMap(\.stringValue).map(words)
        }
        return table
    }()

    public static func normalize(_ raw: String?) -> ProductCondition {
        guard let raw else { return .unknown }
        var text = raw
        for prefix in ["http://schema.org/", "https://schema.org/", "schema:"] where text.hasPrefix(prefix) {
            text = String(text.dropFirst(prefix.count))
        }
        // "UsedCondition" → "used condition", so schema.org names match as words.
        var spaced = ""
        for character in text {
            if character.isUppercase, let last = spaced.last, last.isLowercase { spaced.append(" ") }
            spaced.append(character)
        }
        let tokens = words(spaced)
        guard !tokens.isEmpty else { return .unknown }
        for condition in precedence {
            for phrase in phrases[condition] ?? [] where contains(tokens, phrase) { return condition }
        }
        return .unknown
    }

    /// Lower-cased words; letters, digits and the few marks vocabularies use inside words.
    static func words(_ text: String) -> [String] {
        text.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "/" || $0 == "'") })
            .map(String.init)
    }

    private static func contains(_ tokens: [String], _ phrase: [String]) -> Bool {
        guard !phrase.isEmpty, phrase.count <= tokens.count else { return false }
        for start in 0...(tokens.count - phrase.count) where Array(tokens[start..<(start + phrase.count)]) == phrase {
            return true
        }
        return false
    }
}
