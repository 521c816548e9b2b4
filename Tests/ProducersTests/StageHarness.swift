import Foundation
import JSON
import TestSupport
@testable import Pipeline
@testable import Producers

/// The shared fixed-output stage under the name these tests use.
typealias FixedProducer<Output: Sendable> = FixedStage<Output>

/// A stage that always fails.
struct FailingProducer: Producer {
    let stage: String
    func produce(_ inputs: StageInputs, _ context: StageContext) throws -> any Sendable {
        throw StageError(code: "test_failure", message: "\(stage) fails")
    }
}

func lensMatch(_ title: String, _ link: String, position: Int) -> LensMatch {
    LensMatch(title: title, link: link, domain: LensLinks.domain(link) ?? "", source: nil, price: nil, currency: nil,
              thumbnail: nil, position: position)
}

let imageInfo = ImageInfoProducer.Output(sha256: "x", format: .png, width: 1, height: 1, bytes: 1)
