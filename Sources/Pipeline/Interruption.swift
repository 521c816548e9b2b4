import JSON

/// The end of a run cut short, before its stages finished: its gateway stopped (the shutdown
/// grace ran out) or died (its lease in the shared store expired). Subscribers get
/// `stage-error` `interrupted`, then `done` with `status: "failed"` and `"interrupted": true`;
/// the next upload of the photo runs it again.
enum Interruption {
    static let error: JSONValue = [
        "stage": "run", "code": "interrupted", "retryable": true,
        "message": "the gateway running this result stopped before it finished; upload the photo again to run it again",
    ]
    /// `stored` is added by whoever knows whether the end was kept.
    static let done: JSONValue = ["status": "failed", "stages": .object(JSONObject()), "interrupted": true]
}
