import SMDRCore

/// Chart geometry in integers: hours as whole millionths, positions in tenths of a pixel,
/// rounded half-up and printed with one decimal, so the same report draws the same bytes on
/// every machine (no `Double` whose last digit a platform's formatter could change).
enum ChartScale {
    /// The scale hours are compared at: the finest ``ExactDecimal`` billed hours come in.
    static let hoursScale = 6

    /// `hours` in units of 10^-6 h (`0.2` → 200000).
    static func units(_ hours: ExactDecimal) -> Int128 {
        var units = Int128(hours.units)
        if hours.scale <= Self.hoursScale {
            for _ in hours.scale..<Self.hoursScale { units *= 10 }
        } else {
            for _ in Self.hoursScale..<hours.scale { units /= 10 }
        }
        return units
    }

    /// `value / maximum` of `span` pixels, in tenths of a pixel, half-up; 0 when `maximum` ≤ 0.
    static func tenths(_ value: Int128, of maximum: Int128, span: Int) -> Int {
        guard maximum > 0, value > 0 else { return 0 }
        let scaled = value * Int128(span) * 10
        return Int((scaled * 2 + maximum) / (maximum * 2))
    }

    /// Tenths of a pixel as SVG writes them: `1234` → `123.4`.
    static func pixels(_ tenths: Int) -> String {
        ExactDecimal(units: Int64(tenths), scale: 1).description
    }
}
