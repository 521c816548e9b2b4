import Glibc

/// The `Date` header, formatted once per second per loop rather than per response.
final class HTTPDateCache {
    private var second: time_t = 0
    private var line: [UInt8] = []

    /// `Date: <IMF-fixdate>\r\n`.
    func headerLine() -> [UInt8] {
        let now = time(nil)
        if now != second {
            second = now
            line = Array("Date: \(HTTPDateCache.format(now))\r\n".utf8)
        }
        return line
    }

    static func format(_ t: time_t) -> String {
        var seconds = t
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(1900 + parts.tm_year) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}
