#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The wall clock (realtime), for what is stamped with a date: file names, event times.
public enum WallClock {
    /// Nanoseconds since the Unix epoch.
    public static func nowNanos() -> Int64 { SystemClock.nanos(CLOCK_REALTIME) }

    /// Milliseconds since the Unix epoch.
    public static func nowMillis() -> Int64 { nowNanos() / 1_000_000 }
}
