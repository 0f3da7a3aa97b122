/// What the normaliser knows of the world's numbering plans, per country calling code: which
/// lengths a national significant number may have, and the national (trunk) prefix.
///
/// The data is libphonenumber's, generated into `NumberingPlan+Generated.swift` by
/// `scripts/number-fixtures.py`; nothing here is typed by hand.
enum NumberingPlan {
    /// The longest country calling code, in digits (ITU-T E.164).
    static let maximumCodeLength = 3

    /// One country calling code.
    struct Country: Sendable {
        /// The calling code (`44`).
        let code: Int
        /// The calling code's digits.
        let codeDigits: PackedDigits
        /// Bit `n` is set when a national significant number of `n` digits is possible.
        let lengths: UInt32
        /// The longest possible national significant number, in digits.
        let maximumLength: Int
        /// The national prefix (`0`); empty when the code has none.
        let nationalPrefix: PackedDigits

        init(_ code: Int, _ lengths: [Int], _ nationalPrefix: String) {
            self.code = code
            self.codeDigits = PackedDigits(String(code))
            self.lengths = lengths.reduce(0) { $0 | (1 << UInt32($1)) }
            self.maximumLength = lengths.max() ?? 0
            self.nationalPrefix = PackedDigits(nationalPrefix)
        }

        /// Whether a national significant number of `count` digits is possible (libphonenumber's
        /// `IS_POSSIBLE`; local-only lengths are not).
        func isPossible(length count: Int) -> Bool {
            count > 0 && count < 32 && self.lengths & (1 << UInt32(count)) != 0
        }
    }

    /// Position in ``generatedCountries`` by calling code; `-1` for a code that is not assigned.
    private static let index: [Int16] = {
        var index = [Int16](repeating: -1, count: 1000)
        for (position, country) in Self.generatedCountries.enumerated() {
            index[country.code] = Int16(position)
        }
        return index
    }()

    /// The country with calling code `code`, if it is assigned.
    static func country(code: Int) -> Country? {
        guard code > 0, code < 1000 else { return nil }
        let position = Self.index[code]
        return position < 0 ? nil : Self.generatedCountries[Int(position)]
    }
}
