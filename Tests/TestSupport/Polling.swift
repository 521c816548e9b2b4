import Foundation

/// Polls `condition` until it holds or `timeout` seconds pass; its last answer (no sleeps as
/// synchronisation: the interval is between looks, the deadline bounds the wait).
@discardableResult
package func waitUntil(timeout: Double = 10, every interval: Double = 0.005, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: interval)
    }
    return try condition()
}

/// Polls `check` until it gives a value or `timeout` seconds pass.
package func waitForValue<T>(timeout: Double = 10, every interval: Double = 0.005, _ check: () throws -> T?) rethrows -> T? {
    var value: T?
    try waitUntil(timeout: timeout, every: interval) {
        value = try check()
        return value != nil
    }
    return value
}
