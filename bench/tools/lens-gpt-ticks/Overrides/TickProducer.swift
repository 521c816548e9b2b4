import Glibc
import JSON
import Pipeline

/// Benchmark-only stage: keeps its result running by emitting a `tick` event every
/// LENS_GPT_BENCH_TICK_MS (1,000) for LENS_GPT_BENCH_TICKS (3,600) ticks, each carrying the
/// wall-clock time of the put in `unix_ns`, so a client can hold live streams (idle capacity)
/// and measure put-to-receipt delay (fan-out). Stands in for the `--tick-stage-ms` flag
/// proposed for the release binary.
public struct TickProducer: Producer {
    public let stage = "tick"

    public init() {}

    public func produce(_ inputs: StageInputs, _ context: StageContext) throws -> any Sendable {
        let interval = Int(getenv("LENS_GPT_BENCH_TICK_MS").map { String(cString: $0) } ?? "") ?? 1000
        let count = Int(getenv("LENS_GPT_BENCH_TICKS").map { String(cString: $0) } ?? "") ?? 3600
        for n in 1...max(1, count) {
            usleep(useconds_t(interval * 1000))
            var now = timespec()
            clock_gettime(CLOCK_REALTIME, &now)
            context.emit(stage, ["n": .int(n), "unix_ns": .int(Int(now.tv_sec) * 1_000_000_000 + now.tv_nsec)])
        }
        return count
    }
}
