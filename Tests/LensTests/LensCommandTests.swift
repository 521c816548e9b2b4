import DemoWorld
import Foundation
import JSON
import TestSupport
import Testing

extension RealBrowser {
/// `lens-gpt lens IMAGE --lens-url URL`: matches on stdout and exit 0, or a JSON error on stderr.
@Suite(.enabled(if: lensGPTBinary != nil, "lens-gpt is not built next to the tests (run scripts/test)"))
struct LensCommandTests {
    let world: BrowserWorld

    init() throws { world = try BrowserWorld.get() }

    func run(_ arguments: [String]) throws -> ProgramOutput { try runLensGPT(arguments) }

    @Test func printsTheMatchesAsAJSONArray() throws {
        let lamp = try #require(LensCatalog.product("desk-lamp"))
        let photo = world.directory + "/sample.png"
        try Data(lamp.photo).write(to: URL(fileURLWithPath: photo))
        let result = try run(["lens", photo, "--lens-url", world.demo.lensURL(), "--data-dir", world.directory + "/cli"])
        #expect(result.status == 0, "\(result.err)")
        let matches = try JSONParser.parse(result.out).arrayValue ?? []
        #expect(matches.count >= 5)
        for match in matches.prefix(4) {
            for key in ["title", "link", "domain", "price", "currency", "thumbnail"] {
                #expect(match[key]?.stringValue?.isEmpty == false, "\(key) missing in \(match)")
            }
        }
    }

    @Test func printsAJSONErrorAndExitsNonZero() throws {
        let lamp = try #require(LensCatalog.product("desk-lamp"))
        let photo = world.directory + "/sample-blocked.png"
        try Data(lamp.photo).write(to: URL(fileURLWithPath: photo))
        let result = try run(["lens", photo, "--lens-url", world.demo.lensURL(.botCheck), "--data-dir", world.directory + "/cli"])
        #expect(result.status == 1)
        #expect(result.out.isEmpty)
        let error = try JSONParser.parse(result.err)["error"]
        #expect(error?["code"] == "lens_blocked")
        #expect(error?["retryable"] == true)
        #expect(error?["artifacts"]?.arrayValue?.count == 2)

        let unreadable = try run(["lens", world.directory + "/no-such.png"])
        #expect(unreadable.status == 1)
        #expect(try JSONParser.parse(unreadable.err)["error"]?["code"] == "image_missing")
    }
}
}
