package import NIOCore

/// Who sent a request, seen through the reverse proxies `SMDR_WEB_TRUSTED_PROXY` names.
///
/// Behind a proxy every connection comes from the proxy, so throttling by the connection's
/// address would lock everyone out together. When (and only when) the connection comes from a
/// trusted proxy, the client is the right-most `X-Forwarded-For` entry that is not itself a
/// trusted proxy: each proxy appends the address it was reached from, so entries to the left of
/// it are whatever the client wrote and are never believed. `X-Forwarded-Proto: https` from a
/// trusted proxy likewise says the browser used https (cookies get `Secure`).
package struct ClientAddress: Hashable, Sendable {
    /// The client's IP address in its usual form (`203.0.113.7`, `2001:db8::1`), or `unix` /
    /// `unknown` without one.
    package var host: String
    /// A trusted proxy said the browser reached it over https.
    package var forwardedHTTPS: Bool

    package init(host: String, forwardedHTTPS: Bool = false) {
        self.host = host
        self.forwardedHTTPS = forwardedHTTPS
    }

    /// The client of a request from `peer` with these `X-Forwarded-For` values (each may list
    /// several, comma-separated) and `X-Forwarded-Proto`, trusting the proxies `trusted`
    /// (addresses in ``normalized(_:)`` form).
    package static func resolve(
        peer: SocketAddress?, forwardedFor: [String], forwardedProto: String?, trusted: Set<String>
    ) -> ClientAddress {
        let peerHost: String =
            switch peer {
            case .v4?, .v6?: peer?.ipAddress ?? "unknown"
            case .unixDomainSocket?: "unix"
            case nil: "unknown"
            }
        guard trusted.contains(peerHost) else { return ClientAddress(host: peerHost) }
        let https = forwardedProto?.split(separator: ",").first?.trimmed(" \t").lowercased() == "https"
        let entries = forwardedFor.flatMap { $0.split(separator: ",") }
        var client = peerHost
        for entry in entries.reversed() {
            // An entry that is not an address ends the chain: the last good one is the client.
            guard let address = Self.normalized(Self.withoutPort(entry.trimmed(" \t"))) else { break }
            client = address
            if !trusted.contains(address) { break }
        }
        return ClientAddress(host: client, forwardedHTTPS: https)
    }

    /// The key the sign-in throttle counts this client's failures under: an IPv4 address, or
    /// the /64 of an IPv6 one (one subscriber commonly gets a whole /64 and could otherwise
    /// try from 2^64 addresses). An IPv4 address mapped into IPv6 counts as the IPv4 address.
    package var throttleKey: String {
        guard let address = try? SocketAddress(ipAddress: self.host, port: 0) else { return self.host }
        guard case .v6(let v6) = address else { return address.ipAddress ?? self.host }
        // sockaddr_in6: family and port (4 bytes), flow info (4), then the 16 address bytes.
        let bytes = withUnsafeBytes(of: v6.address) { Array($0[8..<24]) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
            return bytes[12..<16].map(String.init).joined(separator: ".")
        }
        let groups = (0..<4).map { String(UInt16(bytes[2 * $0]) << 8 | UInt16(bytes[2 * $0 + 1]), radix: 16) }
        return groups.joined(separator: ":") + "::/64"
    }

    /// `text` as an IP address in NIO's (inet_ntop's) form, so that `::1` and `0::1` compare
    /// equal; `nil` when it is not an IP address.
    package static func normalized(_ text: some StringProtocol) -> String? {
        guard !text.isEmpty, text.utf8.count <= 64 else { return nil }
        return (try? SocketAddress(ipAddress: String(text), port: 0))?.ipAddress
    }

    /// `[2001:db8::1]:443` → `2001:db8::1`, `203.0.113.7:5000` → `203.0.113.7` (some proxies
    /// add the port).
    private static func withoutPort(_ text: Substring) -> Substring {
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            return text[text.index(after: text.startIndex)..<close]
        }
        if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
            return text[..<colon]
        }
        return text
    }
}

extension StringProtocol {
    /// Without the leading and trailing `characters`.
    fileprivate func trimmed(_ characters: String) -> Substring {
        var slice = Substring(self)
        while let first = slice.first, characters.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, characters.contains(last) { slice = slice.dropLast() }
        return slice
    }
}
