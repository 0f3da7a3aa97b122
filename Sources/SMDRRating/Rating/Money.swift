package import SMDRCore

/// Exact arithmetic of rating: hours from seconds, fees and marked-up costs, rounded half-up
/// (away from zero) to a currency's minor unit. Products are taken in `Int128`, so no
/// intermediate value is rounded or overflows for any amount a firm bills; never `Double`.
package enum Money {
    /// Seconds in an hour.
    static let secondsPerHour: Int128 = 3600
    /// Most decimals `billedHours` is written with exactly (`0.0833` would need more: 300 s).
    package static let exactHoursMaximumScale = 4
    /// Decimals of `billedHours` when it does not terminate within ``exactHoursMaximumScale``
    /// (`0.083333` for 300 s), rounded half-up.
    package static let roundedHoursScale = 6
    /// Most decimals a plan's rate or markup (or a leg's cost) may have for the products to fit
    /// `Int128` (`10^38`) with room for the other operands; the register should refuse more.
    /// Beyond it the arithmetic traps (checked `Int128`) rather than bill a wrong amount.
    package static let maximumScale = 18

    /// `10^exponent` (0 ≤ exponent ≤ 38).
    static func power10(_ exponent: Int) -> Int128 {
        precondition(exponent >= 0 && exponent <= 38, "10^\(exponent) does not fit Int128")
        var result: Int128 = 1
        for _ in 0..<exponent { result &*= 10 }
        return result
    }

    /// `numerator / denominator` rounded half-up, away from zero (`-2.5` → `-3`).
    /// - Precondition: `denominator > 0`.
    static func roundedQuotient(_ numerator: Int128, _ denominator: Int128) -> Int128 {
        precondition(denominator > 0)
        let magnitude = (numerator.magnitude * 2 + denominator.magnitude) / (denominator.magnitude * 2)
        return numerator < 0 ? -Int128(magnitude) : Int128(magnitude)
    }

    /// `seconds / 3600` hours: exact at the smallest scale from 1 to ``exactHoursMaximumScale``
    /// that holds it (`0.1`, `0.25`, `1.0`, `0.0`), else half-up to ``roundedHoursScale`` decimals.
    package static func hours(seconds: Int) -> ExactDecimal {
        let seconds = Int128(seconds)
        for scale in 1...Self.exactHoursMaximumScale {
            let scaled = seconds * Self.power10(scale)
            if scaled % Self.secondsPerHour == 0 {
                return ExactDecimal(units: Int64(scaled / Self.secondsPerHour), scale: scale)
            }
        }
        let units = Self.roundedQuotient(seconds * Self.power10(Self.roundedHoursScale), Self.secondsPerHour)
        return ExactDecimal(units: Int64(units), scale: Self.roundedHoursScale)
    }

    /// `seconds × rate / 3600`, half-up to `minorUnit` decimals, computed from the exact rate
    /// (`720 s × 333.33 / 3600 = 66.666` → `66.67`), not from rounded hours.
    package static func fee(seconds: Int, rate: ExactDecimal, minorUnit: Int) -> ExactDecimal {
        let numerator = Int128(seconds) * Int128(rate.units) * Self.power10(minorUnit)
        let denominator = Self.secondsPerHour * Self.power10(rate.scale)
        return ExactDecimal(units: Int64(Self.roundedQuotient(numerator, denominator)), scale: minorUnit)
    }

    /// `cost × (1 + percent / 100)`, half-up to `minorUnit` decimals (`0.0618 × 1.15 = 0.07107` → `0.07`).
    package static func markedUp(_ cost: ExactDecimal, percent: ExactDecimal, minorUnit: Int) -> ExactDecimal {
        // cost = c / 10^cs, percent = p / 10^ps: cost × (100 × 10^ps + p) / (100 × 10^(cs + ps)).
        let factor = 100 * Self.power10(percent.scale) + Int128(percent.units)
        let numerator = Int128(cost.units) * factor * Self.power10(minorUnit)
        let denominator = 100 * Self.power10(cost.scale + percent.scale)
        return ExactDecimal(units: Int64(Self.roundedQuotient(numerator, denominator)), scale: minorUnit)
    }
}
