/// An exact decimal number, `units × 10^-scale`, as SMDR prints Advice-of-Charge amounts
/// (`0001.45`, `   0.0618`, `1.00`). Never a binary floating-point value.
public struct ExactDecimal: Hashable, Sendable, CustomStringConvertible {
    /// The value in units of `10^-scale` (`0001.45` is 145 at scale 2).
    public var units: Int64
    /// Digits after the decimal point, as written.
    public var scale: Int

    public init(units: Int64, scale: Int) {
        self.units = units
        self.scale = scale
    }

    /// Canonical text without leading zeros, keeping the written scale (`1.45`, `0.0618`, `-2.50`).
    /// PostgreSQL's `numeric` input accepts it unchanged.
    public var description: String {
        let magnitude = self.units.magnitude
        var digits = String(magnitude)
        if self.scale > 0 {
            if digits.count <= self.scale {
                digits = String(repeating: "0", count: self.scale - digits.count + 1) + digits
            }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -self.scale))
        }
        return self.units < 0 ? "-" + digits : digits
    }
}
