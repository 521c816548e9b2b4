import Glibc
import JSON
import Pipeline
import SystemSupport

/// `tick`: a stage that keeps a result running for a while, emitting one event per interval
/// stamped with the wall clock at the moment it is put. Off unless asked for
/// (`--synthetic-stage-ms`): it exists to measure how many live streams the gateway holds and
/// how quickly an event reaches every subscriber.
public struct SyntheticTickProducer: KeyedProducer {
    public static let key = StageKey<Int>("tick")
    let durationMillis: Int
    let intervalMillis: Int

    public init(durationMillis: Int, intervalMillis: Int = 1_000) {
        self.durationMillis = durationMillis
        self.intervalMillis = max(10, intervalMillis)
    }

    public func run(_ inputs: StageInputs, _ context: StageContext) throws -> Int {
        var sent = 0
        var elapsed = 0
        while elapsed < durationMillis && context.remainingMillis > intervalMillis {
            usleep(UInt32(intervalMillis) * 1_000)  // the stage's whole purpose is to pace itself
            elapsed += intervalMillis
            sent += 1
            // Nanoseconds: fan-out delays are measured in fractions of a millisecond.
            context.emit(stage, ["n": .int(sent), "unix_ns": .int(Int(WallClock.nowNanos()))])
        }
        return sent
    }
}
