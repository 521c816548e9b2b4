import Glibc
import HTTP

/// The request log's line: the shape of the other log lines (swift-log's stream handler:
/// time, level, label, sorted metadata, source, message), made without a lock or a time-zone
/// look-up so that it can be built on a loop thread for every request.
public enum RequestLogLine {
    public static func format(_ entry: HTTPRequestLog) -> String {
        let duration = (entry.durationMillis * 10).rounded() / 10
        return "\(timestamp()) info lens-gpt : bytes=\(entry.bytesSent) closed_early=\(entry.closedEarly) "
            + "duration_ms=\(duration) peer=\(entry.peer) request_id=\(entry.requestID) [Gateway] "
            + "\(entry.method) \(RequestLogRedaction.redacted(entry.target)) \(entry.status)"
    }

    /// `2026-11-28T08:33:04+0000` in UTC.
    static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(1900 + parts.tm_year)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))+0000"
    }
}
