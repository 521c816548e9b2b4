/// Signed result tokens are credentials: they never reach the log.
public enum RequestLogRedaction {
    public static func redacted(_ target: String) -> String {
        guard let range = target.firstRange(of: "token=") else { return target }
        let end = target[range.upperBound...].firstIndex(of: "&") ?? target.endIndex
        var copy = target
        copy.replaceSubrange(range.upperBound..<end, with: "REDACTED")
        return copy
    }
}
