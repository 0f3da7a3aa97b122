package import SMDRCore

extension ExactDecimal {
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
}
