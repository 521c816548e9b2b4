import Foundation
import JSON
import Producers
import Testing

@Suite struct LensProfileTests {
    @Test func theShippedGoogleProfileEncodesLensFacts() throws {
        let profile = try LensProfile.googleLens()
        #expect(profile.startURL == "https://www.google.com/?olud")
        #expect(profile.cardSelector.contains(".vEWxFf.RCxtQc.my5z3d"))
        #expect(profile.blockedURLContains.contains("/sorry/index"))
        #expect(profile.resultsURLContains == ["vsrid="])
        #expect(profile.uploadMethod == .inject)
        #expect(profile.extractOptions["selectors"]?["title"]?.stringValue?.contains(".Yt787") == true)
        #expect(!profile.extractScript.isEmpty)
        #expect(profile.startingAt("http://127.0.0.1:9/").startURL == "http://127.0.0.1:9/")
    }

    @Test func aProfileFileReplacesTheDefault() throws {
        var object = try JSONParser.parse(LensProfile.googleLensText).objectValue ?? JSONObject()
        object["start_url"] = "http://127.0.0.1:1/lens"
        var upload = object["upload"]?.objectValue ?? JSONObject()
        upload["method"] = "path"
        object["upload"] = .object(upload)
        var extract = object["extract"]?.objectValue ?? JSONObject()
        extract["script"] = ["return [];", "// lines join with newlines"]
        object["extract"] = .object(extract)
        let path = NSTemporaryDirectory() + "profile-\(UUID().uuidString).json"
        try JSONValue.object(object).serialized().write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }

        let profile = try LensProfile.load(path: path)
        #expect(profile.startURL == "http://127.0.0.1:1/lens")
        #expect(profile.uploadMethod == .path)
        #expect(profile.extractScript == "return [];\n// lines join with newlines")
    }

    @Test func invalidProfilesSayWhatIsWrong() {
        let bad: [(String, String)] = [
            (#"{"start_url": 3}"#, "start_url"),
            (#"{"start_url": "http://x/", "results": {"card_selector": ".c"}, "upload": {"method": "telepathy"}}"#, "upload.method"),
            (#"{"start_url": "http://x/", "results": {"card_selector": ".c"}, "extract": {"price_pattern": "x"}}"#, "extract.script"),
            (#"{"start_url": "http://x/", "results": {"card_selector": ".c", "stable_ms": -1}, "extract": {"price_pattern": "x", "script": "return []"}}"#, "stable_ms"),
            ("not json", "invalid JSON"),
        ]
        for (text, mention) in bad {
            let error = #expect(throws: LensProfile.Invalid.self) { try LensProfile.parse(Array(text.utf8), origin: "test") }
            #expect(error?.description.contains(mention) == true, "\(error?.description ?? "") should name \(mention)")
        }
        #expect(throws: LensProfile.Invalid.self) { try LensProfile.load(path: "/nonexistent/profile.json") }
    }
}
