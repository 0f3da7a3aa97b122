import SMDRCore

/// How the call pages print figures, the way `smdr report` and statements do: exact decimals,
/// never `Double`.
enum CallFigures {
    /// Seconds as minutes to 0.1, half-up (`420` → `7.0`, `50` → `0.8`).
    static func minutes(seconds: Int) -> ExactDecimal {
        ExactDecimal(units: Int64((seconds * 10 + 30) / 60), scale: 1)
    }

    /// `H:MM:SS` of a duration in seconds.
    static func duration(seconds: Int) -> String {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(seconds / 3600):\(two(seconds / 60 % 60)):\(two(seconds % 60))"
    }
}
