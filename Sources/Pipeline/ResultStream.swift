import JSON
import Secrets
import Synchronization

/// The events of one result (one image id): appended by the run, read by any number of
/// subscribers from any position. Subscribers are told "something new" and read at their own
/// pace, so the fan-out path holds one shared log rather than a queue per subscriber.
public final class ResultStream: Sendable {
    public let id: String
    private struct State {
        var events: [ResultEvent] = []
        var status: ResultStatus = .running
        /// Set when the final event is being stored: later appends (a timed-out stage's) are dropped.
        var sealed = false
        var watchers: [UInt64: @Sendable () -> Void] = [:]
        var nextWatcher: UInt64 = 1
        /// Why this copy of the stream stopped before its end (the shared store became
        /// unreachable); subscribers end their response so that clients reconnect.
        var broken: String?
    }
    private let state: Mutex<State>
    /// Sees every appended event, in order (a shared store forwards them from here).
    private let onAppend: (@Sendable (ResultEvent) -> Void)?

    public init(id: String, onAppend: (@Sendable (ResultEvent) -> Void)? = nil) {
        self.id = id
        self.onAppend = onAppend
        state = Mutex(State())
    }

    /// A finished result loaded from the store.
    public init(id: String, events: [ResultEvent], status: ResultStatus) {
        self.id = id
        var initial = State()
        initial.events = events
        initial.status = status
        state = Mutex(initial)
        onAppend = nil
    }

    public var status: ResultStatus { state.withLock { $0.status } }
    public var isFinished: Bool { status != .running }
    public var lastEventID: Int { state.withLock { $0.events.last?.id ?? 0 } }
    public var watcherCount: Int { state.withLock { $0.watchers.count } }
    /// Set when this copy stopped before the result's end (see `breakOff`).
    public var brokenReason: String? { state.withLock { $0.broken } }

    /// Events with an id above `afterID`, and whether the result is finished (or this copy broken off).
    public func events(after afterID: Int) -> (events: [ResultEvent], finished: Bool) {
        state.withLock { s in
            // Ids are 1, 2, 3, ...: the position is the id.
            let start = min(max(0, afterID), s.events.count)
            return (Array(s.events[start...]), s.status != .running || s.broken != nil)
        }
    }

    public var allEvents: [ResultEvent] { state.withLock { $0.events } }

    /// Appends an event with the next id and wakes the watchers. Every event of a run enters
    /// here, so this is where secrets are scrubbed: what is appended is what subscribers hear
    /// and the store keeps.
    @discardableResult
    func append(name: String, payload: JSONValue) -> ResultEvent? {
        let payload = SecretScrubber.shared.scrub(payload)
        // The hook runs under the lock so that events reach it in id order from any thread.
        let (event, watchers) = state.withLock { s -> (ResultEvent?, [@Sendable () -> Void]) in
            guard s.status == .running, !s.sealed else { return (nil, []) }
            let event = ResultEvent(id: s.events.count + 1, name: name, payload: payload)
            s.events.append(event)
            onAppend?(event)
            return (event, Array(s.watchers.values))
        }
        for wake in watchers { wake() }
        return event
    }

    /// A copy fed from a shared store: adds the events that follow the last one held (ids
    /// already held are ignored), and ends the stream when `status` says it is over.
    public func ingest(_ events: [ResultEvent], status: ResultStatus? = nil) {
        let watchers = state.withLock { s -> [@Sendable () -> Void] in
            guard s.status == .running, s.broken == nil else { return [] }
            for event in events where event.id == s.events.count + 1 { s.events.append(event) }
            if let status, status != .running { s.status = status }
            return Array(s.watchers.values)
        }
        for wake in watchers { wake() }
    }

    /// This copy cannot follow the result any more (its store is unreachable): subscribers
    /// end their responses with `reason`, and clients reconnect by `Last-Event-ID`.
    public func breakOff(_ reason: String) {
        let watchers = state.withLock { s -> [@Sendable () -> Void] in
            guard s.status == .running, s.broken == nil else { return [] }
            s.broken = reason
            return Array(s.watchers.values)
        }
        for wake in watchers { wake() }
    }

    /// Stops further appends and returns every event plus the final one (not yet published),
    /// so the run can be stored before any client sees its end. nil when it was sealed already
    /// (the run was interrupted: its end is on its way).
    func seal(final name: String, payload: JSONValue) -> (events: [ResultEvent], final: ResultEvent)? {
        let payload = SecretScrubber.shared.scrub(payload)
        return state.withLock { s in
            guard !s.sealed else { return nil }
            s.sealed = true
            let final = ResultEvent(id: s.events.count + 1, name: name, payload: payload)
            return (s.events + [final], final)
        }
    }

    /// `seal` for a run cut short: appends `stage-error` (`error`) and returns the events with a
    /// `done` (`done`) to publish once stored, in one step, so the run's own end cannot slip in
    /// between. nil when the run has sealed its own end already.
    func sealInterrupted(error: JSONValue, done: JSONValue) -> (events: [ResultEvent], final: ResultEvent)? {
        let sealed = state.withLock { s -> (events: [ResultEvent], final: ResultEvent, watchers: [@Sendable () -> Void])? in
            guard s.status == .running, !s.sealed else { return nil }
            s.sealed = true
            let event = ResultEvent(id: s.events.count + 1, name: "stage-error", payload: error)
            s.events.append(event)
            onAppend?(event)
            let final = ResultEvent(id: s.events.count + 1, name: "done", payload: done)
            return (s.events + [final], final, Array(s.watchers.values))
        }
        guard let sealed else { return nil }
        for wake in sealed.watchers { wake() }
        return (sealed.events, sealed.final)
    }

    /// Publishes the final event and the outcome, and wakes the watchers a last time.
    func finish(with final: ResultEvent, status: ResultStatus) {
        let watchers = state.withLock { s -> [@Sendable () -> Void] in
            s.events.append(final)
            s.status = status
            return Array(s.watchers.values)
        }
        for wake in watchers { wake() }
    }

    /// Marks a run that never started as failed (nothing to publish).
    func abandon() {
        let watchers = state.withLock { s -> [@Sendable () -> Void] in
            s.status = .failed
            return Array(s.watchers.values)
        }
        for wake in watchers { wake() }
    }

    /// Calls `wake` (on the appending thread) whenever events are added or the result finishes.
    /// The watcher then reads with `events(after:)`. Returns a token for `unwatch`.
    public func watch(_ wake: @escaping @Sendable () -> Void) -> UInt64 {
        state.withLock { s in
            let token = s.nextWatcher
            s.nextWatcher += 1
            s.watchers[token] = wake
            return token
        }
    }

    public func unwatch(_ token: UInt64) {
        _ = state.withLock { $0.watchers.removeValue(forKey: token) }
    }
}
