package import SMDRCore

/// Exact decimals written as text: a register cell (`333.33`, `-12.5`) or PostgreSQL's
/// `numeric` output, which keeps the scale it was given (`250.00`).
package enum DecimalText {
    /// Most significant digits of a decimal in the register, so that its units fit an `Int64`
    /// with room to spare (a rate of 999,999,999,999.9999 still fits).
    package static let maximumDigits = 16

    /// `[-]digits[.digits]`; `nil` for anything else (no `+`, no exponent, no spaces, no
    /// thousands separators, digits on both sides of the point) or more than ``maximumDigits`` digits.
    package static func parse(_ text: String) -> ExactDecimal? {
        var bytes = Substring(text).utf8[...]
        let isNegative = bytes.first == UInt8(ascii: "-")
        if isNegative { bytes = bytes.dropFirst() }
        let parts = bytes.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty else { return nil }
        let fraction = parts.count == 2 ? parts[1] : bytes[bytes.endIndex...]
        guard parts.count == 1 || !fraction.isEmpty else { return nil }
        var units: Int64 = 0
        var digits = 0
        for byte in Array(whole) + Array(fraction) {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            if units != 0 || byte != UInt8(ascii: "0") { digits += 1 }
            guard digits <= Self.maximumDigits else { return nil }
            units = units * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        return ExactDecimal(units: isNegative ? -units : units, scale: fraction.count)
    }
}
