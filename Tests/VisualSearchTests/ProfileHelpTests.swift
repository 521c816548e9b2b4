import Testing
@testable import LensGPT
import Producers

/// The shipped profiles' names in `--help` come from the profile files, so a new file is listed
/// without editing a help text.
@Suite struct ProfileHelpTests {
    @Test func theHelpListsTheShippedProfilesFromTheirFiles() {
        let help = ServeCommand.helpMessage(columns: 10_000)
        #expect(help.contains("a shipped name (\(SearchProfiles.helpList(.web))), an API"))
        #expect(help.contains("a shipped name (\(SearchProfiles.helpList(.marketplace))), ebay-api"))
        #expect(help.contains("then \(SearchProfiles.defaultWebOrder.joined(separator: ", ")))"))
        for name in SearchProfiles.names { #expect(help.contains(name), "\(name) is named") }
    }
}
