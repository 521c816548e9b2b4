#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Signals a process takes by waiting for them (`sigwait`) on its main thread rather than in a
/// handler. `block` must come before any other thread starts: threads inherit the mask, so no
/// thread but the waiting one is ever interrupted by these signals.
public enum SignalMask {
    /// Blocks `signals` on the calling thread (and the threads it starts later), and ignores
    /// SIGPIPE: a peer that closed its socket is an EPIPE for the writer, not the process's end.
    public static func block(_ signals: [Int32]) {
        var set = self.set(signals)
        pthread_sigmask(SIG_BLOCK, &set, nil)
        signal(SIGPIPE, SIG_IGN)
    }

    /// Waits until one of `signals` (blocked before) arrives and returns it.
    public static func wait(for signals: [Int32]) -> Int32 {
        var set = self.set(signals)
        var received: Int32 = 0
        sigwait(&set, &received)  // fails only for an invalid set; these are the caller's constants
        return received
    }

    private static func set(_ signals: [Int32]) -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals { sigaddset(&set, signal) }
        return set
    }
}
