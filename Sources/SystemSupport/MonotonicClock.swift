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
