package import SMDRCore

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

    /// `units` at a larger or equal scale.
    private func scaled(to scale: Int) -> Int64 {
        precondition(scale >= self.scale)
        var units = self.units
        for _ in self.scale..<scale { units *= 10 }
        return units
    }
}
