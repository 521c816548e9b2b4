#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Time on the monotonic clock: timeouts, deadlines and durations must not jump with
/// wall-clock changes.
public enum MonotonicClock {
    public static func nowNanos() -> UInt64 { UInt64(SystemClock.nanos(CLOCK_MONOTONIC)) }

    public static func nowMillis() -> UInt64 { nowNanos() / 1_000_000 }
}

/// The wall clock (realtime), for what is stamped with a date: file names, event times.
public enum WallClock {
    /// Nanoseconds since the Unix epoch.
    public static func nowNanos() -> Int64 { SystemClock.nanos(CLOCK_REALTIME) }

    /// Milliseconds since the Unix epoch.
    public static func nowMillis() -> Int64 { nowNanos() / 1_000_000 }
}

/// The one place the process asks the kernel for the time.
enum SystemClock {
    static func nanos(_ clock: clockid_t) -> Int64 {
        var ts = timespec()
        clock_gettime(clock, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}
