import NIOCore
import SMDRPipeline
import SMDRWeb
import Testing

/// Who a request came from, behind `SMDR_WEB_TRUSTED_PROXY` or not, and the throttle's key.
@Suite struct ClientAddressTests {
    static func peer(_ address: String) throws -> SocketAddress { try SocketAddress(ipAddress: address, port: 40_000) }

    static func resolve(_ peer: String, _ forwardedFor: [String], proto: String? = nil, trusted: [String]) throws -> ClientAddress {
        ClientAddress.resolve(
            peer: try Self.peer(peer), forwardedFor: forwardedFor, forwardedProto: proto, trusted: Set(trusted.compactMap { ClientAddress.normalized($0) })
        )
    }

    @Test func withoutATrustedProxyTheHeadersAreIgnored() throws {
        let direct = try Self.resolve("198.51.100.7", ["203.0.113.1"], proto: "https", trusted: [])
        #expect(direct == ClientAddress(host: "198.51.100.7", forwardedHTTPS: false))
        // A proxy that is not the trusted one is a client like any other.
        let other = try Self.resolve("198.51.100.7", ["203.0.113.1"], proto: "https", trusted: ["127.0.0.1"])
        #expect(other == ClientAddress(host: "198.51.100.7", forwardedHTTPS: false))
    }

    @Test func fromATrustedProxyTheClientIsTheRightMostUntrustedEntry() throws {
        let trusted = ["127.0.0.1", "10.0.0.2"]
        #expect(try Self.resolve("127.0.0.1", ["203.0.113.9"], trusted: trusted).host == "203.0.113.9")
        // The left entries are the client's own claims: a spoofed one changes nothing.
        #expect(try Self.resolve("127.0.0.1", ["1.1.1.1, 203.0.113.9"], trusted: trusted).host == "203.0.113.9")
        #expect(try Self.resolve("127.0.0.1", ["1.1.1.1", "203.0.113.9"], trusted: trusted).host == "203.0.113.9")
        // Through two trusted proxies.
        #expect(try Self.resolve("127.0.0.1", ["6.6.6.6, 198.51.100.1, 10.0.0.2"], trusted: trusted).host == "198.51.100.1")
        // Ports and brackets some proxies add; IPv6 in its usual form.
        #expect(try Self.resolve("127.0.0.1", ["203.0.113.9:5123"], trusted: trusted).host == "203.0.113.9")
        #expect(try Self.resolve("127.0.0.1", ["[2001:DB8:0::1]:443"], trusted: trusted).host == "2001:db8::1")
        #expect(try Self.resolve("::1", [" 2001:db8::7 "], trusted: ["0:0::1"]).host == "2001:db8::7")
        // No header, or a right-most entry that is not an address: the proxy itself.
        #expect(try Self.resolve("127.0.0.1", [], trusted: trusted).host == "127.0.0.1")
        #expect(try Self.resolve("127.0.0.1", ["203.0.113.9, <script>"], trusted: trusted).host == "127.0.0.1")
        #expect(try Self.resolve("127.0.0.1", ["unknown"], trusted: trusted).host == "127.0.0.1")
    }

    @Test func httpsIsBelievedOnlyFromATrustedProxy() throws {
        #expect(try Self.resolve("127.0.0.1", ["203.0.113.9"], proto: "https", trusted: ["127.0.0.1"]).forwardedHTTPS)
        #expect(try Self.resolve("127.0.0.1", ["203.0.113.9"], proto: "HTTPS, http", trusted: ["127.0.0.1"]).forwardedHTTPS)
        #expect(try !Self.resolve("127.0.0.1", ["203.0.113.9"], proto: "http", trusted: ["127.0.0.1"]).forwardedHTTPS)
        #expect(try !Self.resolve("127.0.0.2", ["203.0.113.9"], proto: "https", trusted: ["127.0.0.1"]).forwardedHTTPS)
    }

    @Test func theThrottleKeyIsTheIPv4AddressOrTheIPv6Slash64() {
        #expect(ClientAddress(host: "203.0.113.9").throttleKey == "203.0.113.9")
        #expect(ClientAddress(host: "2001:db8:1:2:aaaa:bbbb:cccc:dddd").throttleKey == "2001:db8:1:2::/64")
        #expect(ClientAddress(host: "2001:db8:1:2::1").throttleKey == ClientAddress(host: "2001:db8:1:2:ffff::9").throttleKey)
        #expect(ClientAddress(host: "2001:db8:1:3::1").throttleKey != ClientAddress(host: "2001:db8:1:2::1").throttleKey)
        #expect(ClientAddress(host: "::ffff:203.0.113.9").throttleKey == "203.0.113.9")
        #expect(ClientAddress(host: "unknown").throttleKey == "unknown")
    }

    @Test func theSettingTakesAddressesOrNone() throws {
        func resolve(_ value: String) throws -> WebSettings {
            try WebSettings.resolve(flags: .init(), source: SettingsSource(environment: ["SMDR_WEB_TRUSTED_PROXY": value]))
        }
        #expect(try resolve("127.0.0.1, ::1").trustedProxies == ["127.0.0.1", "::1"])
        #expect(try resolve("none").trustedProxies.isEmpty)
        #expect(try WebSettings.resolve(flags: .init(), source: SettingsSource(environment: [:])).trustedProxies.isEmpty)
        #expect(throws: SettingsError.self) { try resolve("proxy.example.com") }
        #expect(throws: SettingsError.self) { try resolve("10.0.0.0/8") }
    }
}
