import Outbound
import Testing

/// Which addresses the SSRF guard refuses, in every spelling.
@Suite struct AddressPolicyTests {
    @Test(arguments: [
        "0.0.0.0", "0.1.2.3", "10.1.2.3", "100.64.0.1", "100.127.255.255", "127.0.0.1", "127.255.0.9", "169.254.169.254",
        "172.16.0.1", "172.31.255.255", "192.168.0.1", "224.0.0.251", "239.255.255.250", "240.0.0.1", "255.255.255.255",
        "2130706433", "0x7f.1", "0x7f000001", "017700000001", "127.1", "::", "::1", "fc00::1", "fdff::1", "fe80::1",
        "febf::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:a9fe:a9fe", "[::1]", "64:ff9b::7f00:1",
        "::127.0.0.1",
    ])
    func blocks(literal: String) throws {
        let address = try #require(IPAddress(literal: literal))
        #expect(AddressPolicy.isPrivate(address), "\(literal) = \(address)")
        #expect(AddressPolicy().refusesHost(literal))
        #expect(!AddressPolicy(allowPrivate: true).refusesHost(literal))
    }

    @Test(arguments: ["8.8.8.8", "1.1.1.1", "100.128.0.1", "172.32.0.1", "192.169.0.1", "2606:4700::1111", "::ffff:8.8.8.8",
                      "2001:db8::1"])
    func allowsPublic(literal: String) throws {
        let address = try #require(IPAddress(literal: literal))
        #expect(!AddressPolicy.isPrivate(address), "\(literal) = \(address)")
    }

    @Test func namesForThisMachineAreRefusedAndOthersLeftToTheConnectCheck() {
        #expect(AddressPolicy().refusesHost("localhost"))
        #expect(AddressPolicy().refusesHost("api.localhost"))
        #expect(!AddressPolicy().refusesHost("shop.example"))
        #expect(IPAddress(literal: "shop.example") == nil)
        #expect(IPAddress(literal: "1.2.3.4.5") == nil)
    }

    @Test func readsNumericSpellingsAsTheSameAddress() {
        #expect(IPAddress(literal: "2130706433")?.description == "127.0.0.1")
        #expect(IPAddress(literal: "0x7f.1")?.description == "127.0.0.1")
        #expect(IPAddress(literal: "[::ffff:7f00:1]")?.embeddedIPv4 == 0x7F00_0001)
    }
}
