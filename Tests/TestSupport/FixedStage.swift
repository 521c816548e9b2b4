import Pipeline

/// A stage that returns a fixed output (standing in for an earlier stage).
package struct FixedStage<Output: Sendable>: Producer {
    package let stage: String
    package let output: Output

    package init(stage: String, output: Output) {
        self.stage = stage
        self.output = output
    }

    /// Stands in for the stage `key` names, with the output its dependants read.
    package init(_ key: StageKey<Output>, _ output: Output) {
        self.init(stage: key.name, output: output)
    }

    package func produce(_ inputs: StageInputs, _ context: StageContext) throws -> any Sendable { output }
}
