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

    /// `2026-11-28T08:33:04+0000` in UTC. The calendar fields come from arithmetic on the
    /// seconds (days to civil date, proleptic Gregorian), not `gmtime_r`: glibc's takes a
    /// process-wide time-zone lock, which the loops then contended for on every line.
    public static func appendTimestamp(_ now: time_t, to out: inout [UInt8]) {
        let seconds = Int(now)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // Days since 0000-03-01, in 400-year eras of 146,097 days.
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)  // from March 1
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)

        ASCIIDecimal.append(year, to: &out)
        out.append(UInt8(ascii: "-"))
        ASCIIDecimal.appendTwoDigits(Int32(month), to: &out)
        out.append(UInt8(ascii: "-"))
        ASCIIDecimal.appendTwoDigits(Int32(day), to: &out)
        out.append(UInt8(ascii: "T"))
        ASCIIDecimal.appendTwoDigits(Int32(secondOfDay / 3_600), to: &out)
        out.append(UInt8(ascii: ":"))
        ASCIIDecimal.appendTwoDigits(Int32(secondOfDay / 60 % 60), to: &out)
        out.append(UInt8(ascii: ":"))
        ASCIIDecimal.appendTwoDigits(Int32(secondOfDay % 60), to: &out)
        out.append(contentsOf: "+0000".utf8)
    }
}
