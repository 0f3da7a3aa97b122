import SMDRCore

/// How the call pages print durations (minutes: SMDRReports' `Figures.minutes`, as `smdr
/// report` and statements print them).
enum CallFigures {
    /// `H:MM:SS` of a duration in seconds.
    static func duration(seconds: Int) -> String {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(seconds / 3600):\(two(seconds / 60 % 60)):\(two(seconds % 60))"
    }
}
