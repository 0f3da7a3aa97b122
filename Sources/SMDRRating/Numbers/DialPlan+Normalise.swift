public import SMDRCore

extension DialPlan {
    /// The most digits a number may hold before it is ``ExternalNumber/unusable`` without further
    /// thought: a trunk access code, an international prefix, a country code, a national prefix
    /// and the longest national significant number (17 digits, libphonenumber's limit) stay below.
    static let maximumDigits = 32

    /// libphonenumber's bounds on a national significant number, in digits.
    static let nationalNumberLengths = 2...17

    /// Normalises the external party's number of a leg (caller for inbound, dialled for
    /// outbound, as `call_leg.external_number`) to E.164.
    ///
    /// Follows libphonenumber (`parse` in the site's region, accepted when the number's length
    /// is possible, not local-only) after the PBX rules libphonenumber does not know; the rules,
    /// in order, are in `scripts/number-fixtures.py`, which generates the table the tests check
    /// this against:
    ///
    /// 1. `number@host`: only the user part counts.
    /// 2. Blank, or a withheld marker (`anonymous`, `WITHHELD`, `Private`, …) → ``ExternalNumber/withheld``.
    /// 3. Led by `*` or `#` → ``ExternalNumber/serviceCode``.
    /// 4. Trailing `#` (end of dialling) is dropped; then only digits, separators
    ///    (space `-` `.` `(` `)`) and one leading `+` may remain, else ``ExternalNumber/unusable``.
    /// 5. Outbound, the trunk access code is dropped when what follows is still a number.
    /// 6. `+` or the international prefix: country code and national number; otherwise a national
    ///    number of the site (with or without the national prefix, or led by the site's country
    ///    code without `+`).
    ///
    /// Works on the UTF-8 bytes and allocates at most the result.
    public func normalise(_ raw: String, direction: Direction) -> ExternalNumber {
        CompiledDialPlan(self).normalise(raw, direction: direction)
    }

    // MARK: - Bytes to digits

    fileprivate enum Scan {
        case withheld, serviceCode, unusable
        /// `count` digit values (0…9) in the buffer, after a `+` or not.
        case digits(plus: Bool, count: Int)

        var outcome: ExternalNumber {
            switch self {
            case .withheld: .withheld
            case .serviceCode: .serviceCode
            case .unusable, .digits: .unusable
            }
        }
    }

    /// Rules 1–4: the user part, markers, service codes, then the digits.
    fileprivate static func scan(_ bytes: UnsafeBufferPointer<UInt8>, into digits: UnsafeMutableBufferPointer<UInt8>) -> Scan {
        var end = bytes.firstIndex(of: ASCII.at) ?? bytes.count
        var start = 0
        while start < end, ASCII.isBlank(bytes[start]) { start += 1 }
        while end > start, ASCII.isBlank(bytes[end - 1]) { end -= 1 }
        if start == end { return .withheld }
        let first = bytes[start]
        if first == ASCII.star || first == ASCII.hash { return .serviceCode }
        if first > ASCII.nine, Self.isWithheldMarker(UnsafeBufferPointer(rebasing: bytes[start..<end])) {
            return .withheld
        }
        while end > start, bytes[end - 1] == ASCII.hash { end -= 1 }
        while end > start, ASCII.isBlank(bytes[end - 1]) { end -= 1 }
        let plus = bytes[start] == ASCII.plus
        if plus { start += 1 }
        var count = 0
        for index in start..<end {
            let byte = bytes[index]
            let digit = byte &- ASCII.zero
            if digit < 10 {
                guard count < digits.count else { return .unusable }
                digits[count] = digit
                count += 1
            } else if !ASCII.isSeparator(byte) {
                return .unusable
            }
        }
        return count == 0 ? .unusable : .digits(plus: plus, count: count)
    }

    /// What PBXs and carriers put in place of a number that is not presented.
    private static let withheldMarkers: [[UInt8]] = [
        "withheld", "anonymous", "private", "unknown", "restricted", "unavailable",
    ].map { Array($0.utf8) }

    /// Whether `text` is one of ``withheldMarkers``, ignoring ASCII case.
    private static func isWithheldMarker(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        markers: for marker in Self.withheldMarkers where marker.count == text.count {
            for (byte, expected) in zip(text, marker) where ASCII.lowercased(byte) != expected { continue markers }
            return true
        }
        return false
    }
}

/// A ``DialPlan``'s fields as digits, and rules 5–6 over digit values. ``DialPlan/normalise(_:direction:)``
/// compiles the plan on every call; a matcher compiles each site's plan once and normalises with it.
struct CompiledDialPlan: Sendable {
    var home: NumberingPlan.Country?
    var nationalPrefix: PackedDigits
    var internationalPrefix: PackedDigits
    var trunkAccessCode: PackedDigits

    init(_ plan: DialPlan) {
        let code = PackedDigits(plan.countryCode)
        self.home = code.count <= NumberingPlan.maximumCodeLength ? NumberingPlan.country(code: code.value) : nil
        self.nationalPrefix = PackedDigits(plan.nationalPrefix)
        self.internationalPrefix = PackedDigits(plan.internationalPrefix)
        self.trunkAccessCode = PackedDigits(plan.trunkAccessCode)
    }

    /// ``DialPlan/normalise(_:direction:)`` with this plan.
    func normalise(_ raw: String, direction: Direction) -> ExternalNumber {
        if let result = raw.utf8.withContiguousStorageIfAvailable({ self.normalise(bytes: $0, direction: direction) }) {
            return result
        }
        let bytes = Array(raw.utf8)
        return bytes.withUnsafeBufferPointer { self.normalise(bytes: $0, direction: direction) }
    }

    private func normalise(bytes: UnsafeBufferPointer<UInt8>, direction: Direction) -> ExternalNumber {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: DialPlan.maximumDigits) { buffer in
            let scan = DialPlan.scan(bytes, into: buffer)
            guard case .digits(let plus, let count) = scan else {
                return scan.outcome
            }
            let digits = UnsafeBufferPointer(rebasing: buffer[..<count])
            if plus {
                switch self.international(digits) {
                case .number(let text): return .e164(text)
                case .impossible: return .unusable
                case .invalidCountryCode:
                    // libphonenumber reads `+0044…` or `+044…` again without the `+`, but only
                    // accepts what then names a country code.
                    return self.dialled(digits, needsCountryCode: true).map(ExternalNumber.e164) ?? .unusable
                }
            } else if direction == .outbound, self.trunkAccessCode.isPrefix(of: digits) {
                let rest = UnsafeBufferPointer(rebasing: digits[self.trunkAccessCode.count...])
                if let text = self.dialled(rest) { return .e164(text) }
            }
            return self.dialled(digits).map(ExternalNumber.e164) ?? .unusable
        }
    }

    enum International {
        case number(String)
        case impossible
        case invalidCountryCode
    }

    /// Digits after `+` or the international prefix: country code, then national number.
    func international(_ digits: UnsafeBufferPointer<UInt8>) -> International {
        guard digits.count > DialPlan.nationalNumberLengths.lowerBound else { return .impossible }
        guard digits[0] != 0 else { return .invalidCountryCode }
        var code = 0
        for length in 1...NumberingPlan.maximumCodeLength where length <= digits.count {
            code = code * 10 + Int(digits[length - 1])
            guard let country = NumberingPlan.country(code: code) else { continue }
            var national = UnsafeBufferPointer(rebasing: digits[length...])
            let prefix = country.code == self.home?.code ? self.nationalPrefix : country.nationalPrefix
            national = Self.strippingNationalPrefix(prefix, from: national, country: country)
            return Self.e164(country, national).map(International.number) ?? .impossible
        }
        return .invalidCountryCode
    }

    /// A number dialled or presented without `+`: international prefix, else national (unless
    /// `needsCountryCode`, when only the site's own country code without `+` will do).
    func dialled(_ digits: UnsafeBufferPointer<UInt8>, needsCountryCode: Bool = false) -> String? {
        let idd = self.internationalPrefix
        // libphonenumber: a country code never starts with 0, so `00` + `0…` is not international.
        if idd.isPrefix(of: digits), digits.count == idd.count || digits[idd.count] != 0 {
            guard case .number(let text) = self.international(UnsafeBufferPointer(rebasing: digits[idd.count...])) else {
                return nil
            }
            return text
        }
        guard let home = self.home else { return nil }
        var national = digits
        // The site's own country code without `+` (`441632960100`): taken off when the whole is too
        // long, or is not possible and the rest is. (libphonenumber compares its number patterns
        // here; lengths decide the same wherever the whole is not a possible national number.)
        let ownCode = home.codeDigits
        var takesCode = false
        if ownCode.isPrefix(of: digits) {
            var rest = UnsafeBufferPointer(rebasing: digits[ownCode.count...])
            // A national prefix after it goes unless that turns a possible number into an impossible one.
            let afterPrefix = rest.count - self.nationalPrefix.count
            if self.nationalPrefix.isPrefix(of: rest),
               !(home.isPossible(length: rest.count) && !home.isPossible(length: afterPrefix))
            {
                rest = UnsafeBufferPointer(rebasing: rest[self.nationalPrefix.count...])
            }
            if digits.count > home.maximumLength
                || (!home.isPossible(length: digits.count) && home.isPossible(length: rest.count))
            {
                national = rest
                takesCode = true
            }
        }
        if needsCountryCode, !takesCode { return nil }
        national = Self.strippingNationalPrefix(self.nationalPrefix, from: national, country: home)
        return Self.e164(home, national)
    }

    /// `digits` without the national prefix when what is left is possible, or too long anyway
    /// (libphonenumber keeps the prefix when the rest would be too short or only local).
    private static func strippingNationalPrefix(
        _ prefix: PackedDigits, from digits: UnsafeBufferPointer<UInt8>, country: NumberingPlan.Country
    ) -> UnsafeBufferPointer<UInt8> {
        guard prefix.isPrefix(of: digits) else { return digits }
        let rest = digits.count - prefix.count
        guard country.isPossible(length: rest) || rest > country.maximumLength else { return digits }
        return UnsafeBufferPointer(rebasing: digits[prefix.count...])
    }

    /// `+`, the country code and the national number, when its length is possible.
    private static func e164(_ country: NumberingPlan.Country, _ national: UnsafeBufferPointer<UInt8>) -> String? {
        guard DialPlan.nationalNumberLengths.contains(national.count), country.isPossible(length: national.count) else {
            return nil
        }
        let code = country.codeDigits
        return String(unsafeUninitializedCapacity: 1 + code.count + national.count) { text in
            text[0] = ASCII.plus
            for position in 0..<code.count { text[1 + position] = ASCII.zero + code[position] }
            for (position, digit) in national.enumerated() { text[1 + code.count + position] = ASCII.zero + digit }
            return 1 + code.count + national.count
        }
    }
}

/// The bytes the normaliser looks at.
private enum ASCII {
    static let zero = UInt8(ascii: "0")
    static let nine = UInt8(ascii: "9")
    static let plus = UInt8(ascii: "+")
    static let star = UInt8(ascii: "*")
    static let hash = UInt8(ascii: "#")
    static let at = UInt8(ascii: "@")

    static func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }

    /// Separators inside a number: space, `-`, `.`, `(`, `)`.
    static func isSeparator(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "("), UInt8(ascii: ")"): true
        default: false
        }
    }

    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }
}
