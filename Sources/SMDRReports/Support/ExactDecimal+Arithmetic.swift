package import SMDRCore

/// Exact arithmetic of amounts and hours in the outputs: sums, differences, products, and
/// half-up rounding to a scale. Never `Double`.
extension ExactDecimal {
    /// The exact sum, at the larger of the two scales (`1.5 + 0.25 = 1.75`; `65.00 + 0 = 65.00`).
    /// Traps on overflow rather than bill a wrong total.
    package func adding(_ other: ExactDecimal) -> ExactDecimal {
        let scale = max(self.scale, other.scale)
        return ExactDecimal(units: self.scaled(to: scale) + other.scaled(to: scale), scale: scale)
    }

    /// Zero at `scale` decimals: the start of a sum that keeps the currency's minor unit.
    package static func zero(scale: Int) -> ExactDecimal { ExactDecimal(units: 0, scale: scale) }

    /// The sum of `values`, starting from zero at `scale`.
    package static func sum(_ values: some Sequence<ExactDecimal>, scale: Int = 0) -> ExactDecimal {
        values.reduce(.zero(scale: scale)) { $0.adding($1) }
    }

    /// Half-up (away from zero) to `scale` decimals (`27.766389` → `27.77`, `-0.005` → `-0.01`);
    /// unchanged when it has no more decimals than that (`300.00` stays `300.00` at scale 4).
    package func rounded(toScale scale: Int) -> ExactDecimal {
        guard self.scale > scale else { return self }
        var divisor: Int64 = 1
        for _ in scale..<self.scale { divisor *= 10 }
        let magnitude = (self.units.magnitude + divisor.magnitude / 2) / divisor.magnitude
        return ExactDecimal(units: self.units < 0 ? -Int64(magnitude) : Int64(magnitude), scale: scale)
    }

    /// The exact product, at the sum of the two scales (`0.0833 × 333.33 = 27.766389`). Traps
    /// rather than bill a wrong amount when it does not fit.
    package func multiplied(by other: ExactDecimal) -> ExactDecimal {
        ExactDecimal(units: self.units * other.units, scale: self.scale + other.scale)
    }

    /// `self − other`, exact, at the larger of the two scales.
    package func subtracting(_ other: ExactDecimal) -> ExactDecimal {
        self.adding(ExactDecimal(units: -other.units, scale: other.scale))
    }

    /// `units` at a larger or equal scale.
    private func scaled(to scale: Int) -> Int64 {
        precondition(scale >= self.scale)
        var units = self.units
        for _ in self.scale..<scale { units *= 10 }
        return units
    }
}
