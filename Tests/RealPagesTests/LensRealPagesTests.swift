import Foundation
import Testing
@testable import Producers

/// The shipped Google Lens profile on the saved real Lens results pages: every card read when
/// the cap allows (`--max-matches 100`), the shipped cap of 40 otherwise.
@Suite(.serialized, .enabled(if: RealPages.available, RealPages.missing))
struct LensRealPagesTests {
    static let pages = RealPages.files(in: "lens")

    @Test(arguments: pages)
    func everyCardIsReadWithAHigherCap(_ page: String) throws {
        let world = try RealPages.get()
        let reading = try IndependentReading(RealPages.bytes(page))
        // The cards as the README names them: .vEWxFf.RCxtQc.my5z3d
        let cards = reading.elements("div") { ["vEWxFf", "RCxtQc", "my5z3d"].allSatisfy(reading.classes($0).contains) }.count
            + reading.elements("a") { ["vEWxFf", "RCxtQc", "my5z3d"].allSatisfy(reading.classes($0).contains) }.count
        #expect(cards == 60)
        // The results page's URL carries Lens's marker, as the live page's does.
        let url = world.url(page, query: "vsrid=saved")
        let wide = LensRunner(pool: world.pool, profile: try LensProfile.googleLens().readingAtMost(100), diagnosticsDirectory: nil)
        let all = try wide.readResults(url: url, timeoutMillis: 60_000)
        #expect(all.count == cards)
        #expect(all.allSatisfy { !$0.title.isEmpty && $0.link.hasPrefix("http") && $0.source?.isEmpty == false })
        #expect(Set(all.map(\.link)).count == all.count)
        let shipped = LensRunner(pool: world.pool, profile: try LensProfile.googleLens(), diagnosticsDirectory: nil)
        let capped = try shipped.readResults(url: url, timeoutMillis: 60_000)
        #expect(capped.count == 40)
        #expect(capped.map(\.link) == Array(all.map(\.link).prefix(40)))
        report("\(page) | google-lens | cards \(cards) → read \(all.count) with --max-matches 100, \(capped.count) with the shipped cap")
    }
}
