import Outbound
import Testing

/// Address ranges the SSRF guard once missed, and this host's own addresses.
@Suite struct AddressPolicyHardeningTests {
    @Test(arguments: ["192.0.2.1", "192.0.2.255", "198.51.100.7", "203.0.113.9", "64:ff9b:1::a00:1", "64:ff9b:1:ffff::1",
                      "2002:7f00:1::1", "2002:0808:0808::1", "::ffff:203.0.113.1"])
    func refusesDocumentationAndTransitionRanges(literal: String) throws {
        let address = try #require(IPAddress(literal: literal))
        #expect(AddressPolicy.isPrivate(address), "\(literal) = \(address)")
        #expect(!AddressPolicy().allows(address))
        #expect(AddressPolicy().refusesHost(literal))
        #expect(AddressPolicy(allowPrivate: true).allows(address))
    }

    @Test(arguments: ["192.0.3.1", "198.51.101.1", "203.0.114.1", "64:ff9b:2::1", "2003::1"])
    func neighboursStayAllowed(literal: String) throws {
        let address = try #require(IPAddress(literal: literal))
        #expect(!AddressPolicy.isPrivate(address), "\(literal)")
    }

    @Test func refusesThisHostsOwnAddresses() throws {
        // A public address on one of this host's interfaces reaches its services like loopback.
        let own = try #require(IPAddress(literal: "93.184.216.34"))
        let policy = AddressPolicy(interfaceAddresses: { [own] })
        #expect(!policy.allows(own))
        #expect(policy.refusesHost("93.184.216.34"))
        #expect(!policy.allows(try #require(IPAddress(literal: "::ffff:93.184.216.34"))))
        #expect(policy.allows(try #require(IPAddress(literal: "93.184.216.35"))))
        #expect(AddressPolicy(allowPrivate: true, interfaceAddresses: { [own] }).allows(own))
        // The real list: every address on this machine's interfaces is refused.
        let real = InterfaceAddresses.read()
        #expect(!real.isEmpty)
        for address in real { #expect(!AddressPolicy().allows(address), "\(address)") }
    }
}
