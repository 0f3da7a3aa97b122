/// A text that is not a usable network for a site's allowed peers.
public struct IPAddressRangeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The flag or setting the text came from, such as `--allow`.
    public var setting: String
    public var text: String
    public var problem: String

    public var description: String { "\(self.setting) '\(self.text)': \(self.problem)" }
}

extension IPAddressRange {
    /// What an allowed network may look like, for messages.
    public static let expectation = "an IPv4 or IPv6 address (192.0.2.10, 2001:db8::7) or a network in CIDR notation (10.1.0.0/16)"

    /// Parses an allowed network as an operator typed it (`--allow`): an address alone, or CIDR
    /// with the host bits clear.
    ///
    /// - Throws: ``IPAddressRangeError`` naming `setting`, the text and what is expected.
    public static func parse(_ text: String, setting: String) throws(IPAddressRangeError) -> IPAddressRange {
        guard let range = IPAddressRange(text) else {
            throw IPAddressRangeError(setting: setting, text: text, problem: "expected \(Self.expectation)")
        }
        let address = text.split(separator: "/", maxSplits: 1).first.flatMap { IPAddress(String($0)) }
        guard address == range.network else {
            throw IPAddressRangeError(
                setting: setting, text: text,
                problem: "the address has bits set beyond the prefix: expected the network's first address, \(range)"
            )
        }
        return range
    }
}
