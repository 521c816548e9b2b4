import Glibc

/// `Retry-After` (RFC 9110 §10.2.3): a number of seconds, or an HTTP date. One reading for every
/// client that honours it (the chat client's retries, the official APIs' rate limits).
public enum RetryAfter {
    /// Seconds to wait, counted from `now` (seconds since the epoch) for a date; nil when the
    /// value is neither a non-negative number nor an HTTP date. A date in the past is 0.
    public static func seconds(_ text: String, now: Int) -> Int? {
        let trimmed = text.trimmingCharacters(where: \.isWhitespace)
        if let seconds = Int(trimmed) { return seconds >= 0 ? seconds : nil }
        return httpDate(trimmed).map { max(0, $0 - now) }
    }

    /// Seconds since the epoch of an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
    public static func httpDate(_ text: String) -> Int? {
        let fields = text.split(separator: " ")
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        guard fields.count == 6, fields[5] == "GMT", let day = Int(fields[1]), let year = Int(fields[3]),
              let month = months.firstIndex(of: fields[2].lowercased()) else { return nil }
        let clock = fields[4].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3 else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(clock[0])
        parts.tm_min = Int32(clock[1])
        parts.tm_sec = Int32(clock[2])
        return Int(timegm(&parts))
    }
}
