/// An IPv4 or IPv6 address, parsed and compared without the C resolver.
///
/// IPv4-mapped IPv6 addresses (`::ffff:192.0.2.1`, what a dual-stack socket reports for an IPv4
/// peer) are normalised to IPv4, so an IPv4 CIDR matches them.
public enum IPAddress: Hashable, Sendable, CustomStringConvertible, LosslessStringConvertible {
    case v4(UInt32)
    case v6(UInt128)

    /// Parses `192.0.2.1`, `2001:db8::1` or `::ffff:192.0.2.1`. Zone ids (`fe80::1%eth0`) are rejected.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        if let v4 = Self.parseIPv4(bytes[...]) {
            self = .v4(v4)
        } else if let v6 = Self.parseIPv6(bytes[...]) {
            self = Self.normalised(v6)
        } else {
            return nil
        }
    }

    /// An address from 4 or 16 bytes in network order.
    public init?(bytes: some Collection<UInt8>) {
        switch bytes.count {
        case 4:
            self = .v4(bytes.reduce(0) { $0 << 8 | UInt32($1) })
        case 16:
            self = Self.normalised(bytes.reduce(0) { $0 << 8 | UInt128($1) })
        default:
            return nil
        }
    }

    private static func normalised(_ v6: UInt128) -> IPAddress {
        if v6 >> 32 == 0xFFFF { return .v4(UInt32(truncatingIfNeeded: v6)) }
        return .v6(v6)
    }

    public var description: String {
        switch self {
        case .v4(let value):
            return "\(value >> 24).\((value >> 16) & 0xFF).\((value >> 8) & 0xFF).\(value & 0xFF)"
        case .v6(let value):
            let groups = (0..<8).map { UInt16(truncatingIfNeeded: value >> (112 - 16 * UInt128($0))) }
            // The longest run of zero groups (length ≥ 2) becomes "::".
            var bestStart = -1, bestLength = 0, runStart = -1
            for index in 0...8 {
                if index < 8, groups[index] == 0 {
                    if runStart < 0 { runStart = index }
                } else if runStart >= 0 {
                    if index - runStart > bestLength { bestStart = runStart; bestLength = index - runStart }
                    runStart = -1
                }
            }
            func hex(_ range: Range<Int>) -> String {
                groups[range].map { String($0, radix: 16) }.joined(separator: ":")
            }
            guard bestLength >= 2 else { return hex(0..<8) }
            return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
        }
    }

    // MARK: - Parsing

    private static func parseIPv4(_ bytes: ArraySlice<UInt8>) -> UInt32? {
        var value: UInt32 = 0
        var parts = 0
        for part in bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            if part.count > 1, part.first == 0x30 { return nil }  // no leading zeros (octal ambiguity)
            let octet = part.reduce(0) { $0 * 10 + UInt32($1 - 0x30) }
            guard octet <= 255 else { return nil }
            value = value << 8 | octet
            parts += 1
        }
        return parts == 4 ? value : nil
    }

    private static func parseIPv6(_ bytes: ArraySlice<UInt8>) -> UInt128? {
        guard bytes.count >= 2, !bytes.contains(UInt8(ascii: "%")) else { return nil }
        let colon = UInt8(ascii: ":")
        // At most one "::"; a second one leaves an empty group in `tail`, which parseGroups rejects.
        var compression: Int? = nil
        var index = bytes.startIndex
        while index < bytes.endIndex - 1 {
            if bytes[index] == colon, bytes[index + 1] == colon {
                compression = index
                break
            }
            index += 1
        }
        guard let compression else {
            guard let groups = parseGroups(bytes, allowIPv4Suffix: true), groups.count == 8 else { return nil }
            return groups.reduce(0) { $0 << 16 | UInt128($1) }
        }
        guard let headGroups = parseGroups(bytes[bytes.startIndex..<compression], allowIPv4Suffix: false),
              let tailGroups = parseGroups(bytes[(compression + 2)...], allowIPv4Suffix: true),
              headGroups.count + tailGroups.count <= 7
        else { return nil }
        let zeros = [UInt16](repeating: 0, count: 8 - headGroups.count - tailGroups.count)
        return (headGroups + zeros + tailGroups).reduce(0) { $0 << 16 | UInt128($1) }
    }

    private static func parseGroups(_ bytes: ArraySlice<UInt8>, allowIPv4Suffix: Bool) -> [UInt16]? {
        if bytes.isEmpty { return [] }
        let parts = bytes.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        var groups: [UInt16] = []
        for (position, part) in parts.enumerated() {
            if position == parts.count - 1, allowIPv4Suffix, part.contains(UInt8(ascii: ".")) {
                guard let v4 = parseIPv4(part) else { return nil }
                groups.append(UInt16(v4 >> 16))
                groups.append(UInt16(v4 & 0xFFFF))
                continue
            }
            guard !part.isEmpty, part.count <= 4 else { return nil }
            var group: UInt16 = 0
            for byte in part {
                guard let digit = hexValue(byte) else { return nil }
                group = group << 4 | UInt16(digit)
            }
            groups.append(group)
        }
        return groups
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

/// A CIDR block such as `192.0.2.0/24`, `2001:db8::/32`, or a single address (`192.0.2.7` = `/32`).
public struct IPAddressRange: Hashable, Sendable, CustomStringConvertible, LosslessStringConvertible {
    /// The first address of the block (host bits cleared).
    public let network: IPAddress
    /// The prefix length: 0–32 for IPv4, 0–128 for IPv6.
    public let prefixLength: Int

    public init?(_ text: String) {
        let pieces = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(String(pieces[0])) else { return nil }
        let maximum: Int
        switch address {
        case .v4: maximum = 32
        case .v6: maximum = 128
        }
        var length = maximum
        if pieces.count == 2 {
            guard let parsed = Int(pieces[1]), (0...maximum).contains(parsed),
                  pieces[1].allSatisfy({ $0.isASCII && $0.isNumber })
            else { return nil }
            // A mapped IPv6 address given with an IPv6 prefix: keep the IPv4 meaning.
            if case .v4 = address, pieces[0].contains(":") {
                guard parsed >= 96 else { return nil }
                length = parsed - 96
            } else {
                length = parsed
            }
        }
        self.init(network: address, prefixLength: length)
    }

    /// A block from an address and a prefix length; host bits of `network` are cleared.
    public init(network: IPAddress, prefixLength: Int) {
        switch network {
        case .v4(let value):
            precondition((0...32).contains(prefixLength), "IPv4 prefix length must be 0...32")
            let mask: UInt32 = prefixLength == 0 ? 0 : ~0 << (32 - prefixLength)
            self.network = .v4(value & mask)
        case .v6(let value):
            precondition((0...128).contains(prefixLength), "IPv6 prefix length must be 0...128")
            let mask: UInt128 = prefixLength == 0 ? 0 : ~0 << (128 - prefixLength)
            self.network = .v6(value & mask)
        }
        self.prefixLength = prefixLength
    }

    /// Whether `address` lies in the block. IPv4 and IPv6 never match each other.
    public func contains(_ address: IPAddress) -> Bool {
        switch (self.network, address) {
        case (.v4(let network), .v4(let value)):
            let mask: UInt32 = self.prefixLength == 0 ? 0 : ~0 << (32 - self.prefixLength)
            return value & mask == network
        case (.v6(let network), .v6(let value)):
            let mask: UInt128 = self.prefixLength == 0 ? 0 : ~0 << (128 - self.prefixLength)
            return value & mask == network
        default:
            return false
        }
    }

    public var description: String { "\(self.network)/\(self.prefixLength)" }
}
