import Glibc
import HTTP

/// The request log's line: the shape of the other log lines (swift-log's stream handler:
/// time, level, label, sorted metadata, source, message). It is written straight into the loop's
/// log buffer, without a lock, a time-zone look-up or an intermediate string, because it is made
/// on a loop thread for every request.
public enum RequestLogLine {
    public static func append(_ entry: HTTPRequestLog, to out: inout [UInt8]) {
        append(entry, at: time(nil), to: &out)
    }

    /// The line stamped with `now` (seconds since the epoch).
    public static func append(_ entry: HTTPRequestLog, at now: time_t, to out: inout [UInt8]) {
        appendTimestamp(now, to: &out)
        out.append(contentsOf: " info lens-gpt : bytes=".utf8)
        ASCIIDecimal.append(entry.bytesSent, to: &out)
        out.append(contentsOf: (entry.closedEarly ? " closed_early=true" : " closed_early=false").utf8)
        out.append(contentsOf: " duration_ms=".utf8)
        // Tenths of a millisecond, as "12.3" (and "0.0").
        let tenths = entry.durationMillis.isFinite ? Int((max(0, min(entry.durationMillis, 1e12)) * 10).rounded()) : 0
        ASCIIDecimal.append(tenths / 10, to: &out)
        out.append(UInt8(ascii: "."))
        out.append(UInt8(ascii: "0") + UInt8(tenths % 10))
        out.append(contentsOf: " peer=".utf8)
        out.append(contentsOf: entry.peer.utf8)
        out.append(contentsOf: " request_id=".utf8)
        entry.id.append(to: &out)
        out.append(contentsOf: " [Gateway] ".utf8)
        out.append(contentsOf: entry.method.utf8)
        out.append(UInt8(ascii: " "))
        out.append(contentsOf: RequestLogRedaction.redacted(entry.target).utf8)
        out.append(UInt8(ascii: " "))
        ASCIIDecimal.append(entry.status, to: &out)
    }

    /// `2026-11-28T08:33:04+0000` in UTC.
    static func appendTimestamp(_ now: time_t, to out: inout [UInt8]) {
        var seconds = now
        var parts = tm()
        gmtime_r(&seconds, &parts)
        ASCIIDecimal.append(Int(1900 + parts.tm_year), to: &out)
        out.append(UInt8(ascii: "-"))
        ASCIIDecimal.appendTwoDigits(parts.tm_mon + 1, to: &out)
        out.append(UInt8(ascii: "-"))
        ASCIIDecimal.appendTwoDigits(parts.tm_mday, to: &out)
        out.append(UInt8(ascii: "T"))
        ASCIIDecimal.appendTwoDigits(parts.tm_hour, to: &out)
        out.append(UInt8(ascii: ":"))
        ASCIIDecimal.appendTwoDigits(parts.tm_min, to: &out)
        out.append(UInt8(ascii: ":"))
        ASCIIDecimal.appendTwoDigits(parts.tm_sec, to: &out)
        out.append(contentsOf: "+0000".utf8)
    }
}
