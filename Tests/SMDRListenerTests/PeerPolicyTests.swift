import SMDRCore
import SMDRListener
import Testing

struct PeerPolicyTests {
    @Test(arguments: [
        ("192.0.2.1", "192.0.2.1"), ("0.0.0.0", "0.0.0.0"), ("255.255.255.255", "255.255.255.255"),
        ("::1", "::1"), ("::", "::"), ("2001:db8::1", "2001:db8::1"), ("2001:DB8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("fe80::1:2:3:4", "fe80::1:2:3:4"), ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"), ("::ffff:192.0.2.1", "192.0.2.1"),
        ("64:ff9b::192.0.2.33", "64:ff9b::c000:221"),
    ])
    func parsesAndPrintsAddresses(text: String, printed: String) throws {
        let address = try #require(IPAddress(text))
        #expect(address.description == printed)
    }

    @Test(arguments: ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.-4", ":::", "1::2::3", "1:2:3:4:5:6:7:8:9",
                      "12345::", "fe80::1%eth0", "g::1", "1:2:3:4:5:6:7::8:9", "::1.2.3", "example.com"])
    func rejectsInvalidAddresses(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func matchesIPv4AndIPv6Blocks() throws {
        let v4 = try #require(IPAddressRange("10.1.0.0/16"))
        #expect(v4.contains(IPAddress("10.1.255.3")!))
        #expect(!v4.contains(IPAddress("10.2.0.1")!))
        #expect(v4.contains(IPAddress("::ffff:10.1.2.3")!), "IPv4-mapped peers of dual-stack sockets match IPv4 blocks")
        let v6 = try #require(IPAddressRange("2001:db8:abcd::/48"))
        #expect(v6.contains(IPAddress("2001:db8:abcd:12::1")!))
        #expect(!v6.contains(IPAddress("2001:db8:abce::1")!))
        #expect(!v6.contains(IPAddress("10.1.2.3")!))
        #expect(IPAddressRange("192.0.2.77")?.description == "192.0.2.77/32")
        #expect(IPAddressRange("192.0.2.77/24")?.description == "192.0.2.0/24")
        #expect(IPAddressRange("0.0.0.0/0")!.contains(IPAddress("203.0.113.9")!))
        #expect(IPAddressRange("::/0")!.contains(IPAddress("2001:db8::9")!))
        for invalid in ["10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8/8", "x/8"] {
            #expect(IPAddressRange(invalid) == nil, "\(invalid)")
        }
    }

    @Test func theMostSpecificBlockWins() throws {
        let policy = try PeerPolicy(sites: [
            Site(name: "hq", timeZone: "UTC", allowedPeers: ["10.0.0.0/8", "::1"]),
            Site(name: "branch", timeZone: "UTC", allowedPeers: ["10.9.0.0/16"]),
        ])
        #expect(policy.site(for: IPAddress("10.1.2.3")!) == "hq")
        #expect(policy.site(for: IPAddress("10.9.2.3")!) == "branch")
        #expect(policy.site(for: IPAddress("::1")!) == "hq")
        #expect(policy.site(for: IPAddress("192.0.2.1")!) == nil)
    }

    @Test func rejectsBadSiteTables() {
        #expect(throws: ListenerConfigurationError.self) { try PeerPolicy(sites: [Site(name: "../etc", timeZone: "UTC")]) }
        #expect(throws: ListenerConfigurationError.self) { try PeerPolicy(sites: [Site(name: "a", timeZone: "UTC"), Site(name: "a", timeZone: "UTC")]) }
        let invalid = #expect(throws: ListenerConfigurationError.self) {
            try PeerPolicy(sites: [Site(name: "a", timeZone: "UTC", allowedPeers: ["10.0.0.0/33"])])
        }
        #expect(invalid?.description == "allowed network \"10.0.0.0/33\" of site \"a\" is not an address or CIDR block")
        #expect(throws: ListenerConfigurationError.self) {
            try PeerPolicy(sites: [Site(name: "a", timeZone: "UTC", allowedPeers: ["10.0.0.0/8"]),
                                   Site(name: "b", timeZone: "UTC", allowedPeers: ["10.0.0.0/8"])])
        }
    }

    @Test func parsesEndpoints() {
        #expect(Endpoint("127.0.0.1:5100") == Endpoint(host: "127.0.0.1", port: 5100))
        #expect(Endpoint("[::1]:0") == Endpoint(host: "::1", port: 0))
        #expect(Endpoint(":9000") == Endpoint(host: "0.0.0.0", port: 9000))
        #expect(Endpoint("pbx.example:514")?.description == "pbx.example:514")
        #expect(Endpoint("[::1]:7")?.description == "[::1]:7")
        for invalid in ["127.0.0.1", "::1:80", "host:65536", "host:", "[::1:80", "[x]:80", "host:8a"] {
            #expect(Endpoint(invalid) == nil, "\(invalid)")
        }
    }

    @Test func admissibleSitesDropNonNetworksAndSecondOwnersOnly() throws {
        let (sites, skipped) = PeerPolicy.admissible([
            Site(name: "hq", timeZone: "UTC", allowedPeers: ["10.0.0.0/8", "not-a-network", "10.0.0.0/8"]),
            Site(name: "branch", timeZone: "UTC", allowedPeers: ["10.0.0.0/8", "192.0.2.7"]),
        ])
        #expect(sites.map(\.allowedPeers) == [["10.0.0.0/8", "10.0.0.0/8"], ["192.0.2.7"]])
        #expect(
            skipped == [
                PeerPolicy.SkippedNetwork(site: "hq", network: "not-a-network", owner: nil),
                PeerPolicy.SkippedNetwork(site: "branch", network: "10.0.0.0/8", owner: "hq"),
            ]
        )
        let policy = try PeerPolicy(sites: sites)
        #expect(policy.site(for: IPAddress("10.1.2.3")!) == "hq")
        #expect(policy.site(for: IPAddress("192.0.2.7")!) == "branch")
    }
}
