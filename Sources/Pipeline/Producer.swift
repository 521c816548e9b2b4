import JSON

/// One stage of the pipeline. It receives the outputs of the stages it depends on, may emit
/// events (its result, under its own name), and returns an output for the stages that depend on it.
public protocol Producer: Sendable {
    /// The stage name; also the event name of its result (`image-info`, `lens-matches`, ...).
    var stage: String { get }
    func produce(_ inputs: StageInputs, _ context: StageContext) throws -> any Sendable
}

/// A stage failure a client can act on: it becomes a `stage-error` event.
public struct StageError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var retryable: Bool
    /// Files saved for diagnosis (screenshots, page sources), named in the error event.
    public var artifacts: [String]
    /// How long the service asked to be left alone (an API's `Retry-After`), in seconds.
    public var retryAfterSeconds: Int? = nil
    /// More fields of the event, for what only this stage knows (the visual-search providers it
    /// tried); the common keys above are never overwritten by them.
    public var fields: JSONObject = [:]

    public init(code: String, message: String, retryable: Bool = false, artifacts: [String] = []) {
        self.code = code
        self.message = message
        self.retryable = retryable
        self.artifacts = artifacts
    }

    public var description: String { "\(code): \(message)" }
}

/// The outputs of the stages a producer depends on.
public struct StageInputs: Sendable {
    let outputs: [String: any Sendable]

    public init(_ outputs: [String: any Sendable]) { self.outputs = outputs }

    /// The output of an optional dependency, or nil when it did not finish.
    public func optional<T>(_ key: StageKey<T>) -> T? {
        outputs[key.name] as? T
    }

    /// The output of the stage `key` names, which must be one of the producer's dependencies.
    public func get<T>(_ key: StageKey<T>) throws -> T {
        guard let value = outputs[key.name] as? T else {
            throw StageError(code: "internal", message: "stage \(key.name) gave no \(T.self)")
        }
        return value
    }
}

/// The photo a run is about.
public struct UploadedImage: Sendable, Equatable {
    /// The result id: the image's `digest` for the deployment's default locale, else a key of the
    /// digest and the locale (one result per image and locale, see `ImageDigest.resultID`).
    public var id: String
    /// Lowercase hex SHA-256 of the bytes.
    public var digest: String
    /// Where the bytes are while the run lasts.
    public var path: String
    public var bytes: Int
    /// The country and language the run answers for (the request's, else the defaults).
    public var locale: RunLocale

    public init(id: String, path: String, bytes: Int, locale: RunLocale = .fallback) {
        self.id = id
        digest = id
        self.path = path
        self.bytes = bytes
        self.locale = locale
    }
}

/// What a stage returns when it ran and reported its result but has nothing the stages that
/// need it could work with (identification abstaining below its confidence floor). The stage
/// counts as finished; every stage that requires it is `skipped` with this code and message.
/// A `KeyedProducer` throws it (a plain `Producer` may return it).
public struct SkipDependants: Error, Sendable, Equatable {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}
