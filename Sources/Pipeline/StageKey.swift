/// A stage's name with the type of the output it hands the stages that depend on it. The
/// producer takes its name from its key and returns the key's type (`KeyedProducer`); its
/// dependants read with the same key: renaming a stage or changing what it hands on fails to
/// compile where the two would disagree, instead of at run time.
public struct StageKey<Output: Sendable>: Sendable {
    public let name: String

    public init(_ name: String) { self.name = name }
}

/// A producer whose stage name and output type are one key's.
public protocol KeyedProducer: Producer {
    associatedtype Output: Sendable
    static var key: StageKey<Output> { get }
    /// The stage's output for its dependants; throws `SkipDependants` when it ran and reported
    /// but has nothing they could work with, `StageError` when it failed.
    func run(_ inputs: StageInputs, _ context: StageContext) throws -> Output
}

extension KeyedProducer {
    public var stage: String { Self.key.name }

    public func produce(_ inputs: StageInputs, _ context: StageContext) throws -> any Sendable {
        do {
            return try run(inputs, context)
        } catch let skip as SkipDependants {
            return skip
        }
    }
}
