/// ISO 4217 currencies as the rater needs them: how many decimals an amount has.
///
/// The table is generated from the ISO 4217 list by `scripts/currency-table.py` (its `--check`
/// mode reports a stale file); codes without a minor unit (XAU, XXX, ...) are not in it.
public enum Currency {
    /// Decimals used for a plan currency that is not in the table (the register's import
    /// refuses such plans; this only keeps the rater total): 2, the most common minor unit.
    public static let fallbackMinorUnit = 2

    /// The minor unit (digits after the decimal point) of an ISO 4217 code: `GBP` 2, `JPY` 0,
    /// `BHD` 3; `nil` for a code that is not a current ISO 4217 currency with a minor unit.
    ///
    /// The code must be exactly as ISO 4217 writes it (three upper-case letters); use
    /// ``normalisedCode(_:)`` for text as a PBX prints it.
    public static func minorUnit(of code: String) -> Int? {
        Self.generatedMinorUnits[code]
    }

    /// `text` trimmed of spaces and upper-cased when it then is a known ISO 4217 code
    /// (` gbp ` → `GBP`); `nil` otherwise (empty, `£`, `XAU`).
    public static func normalisedCode(_ text: String) -> String? {
        if Self.generatedMinorUnits[text] != nil { return text }
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var trimmed = text.utf8[...]
        while let first = trimmed.first, isBlank(first) { trimmed.removeFirst() }
        while let last = trimmed.last, isBlank(last) { trimmed.removeLast() }
        guard trimmed.count == 3 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(3)
        for byte in trimmed {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): bytes.append(byte)
            case UInt8(ascii: "a")...UInt8(ascii: "z"): bytes.append(byte - 32)
            default: return nil
            }
        }
        let code = String(decoding: bytes, as: UTF8.self)
        return Self.generatedMinorUnits[code] != nil ? code : nil
    }
}
