import SMDRCore
import SMDRRating

/// How statements, reports, terminal tables and the web app print numbers: exact, and the same everywhere.
package enum Figures {
    /// `1 call`, `2 calls`.
    static func count(_ value: Int, _ singular: String, _ plural: String) -> String {
        "\(value) \(value == 1 ? singular : plural)"
    }

    /// Seconds as minutes to 0.1, half-up (`420` → `7.0`, `50` → `0.8`, `3` → `0.1`).
    package static func minutes(seconds: Int) -> String {
        let tenths = (seconds * 10 + 30) / 60
        return ExactDecimal(units: Int64(tenths), scale: 1).description
    }

    /// Hours as billed: at least one decimal (`0.2`, `1.0`, `0.0833`), never rounded further, so
    /// a row shows exactly what was multiplied by the rate.
    static func hours(_ hours: ExactDecimal) -> String {
        hours.scale >= 1 ? hours.description : ExactDecimal(units: hours.units * 10, scale: 1).description
    }

    /// An amount with its currency (`150.00 GBP`).
    static func amount(_ amount: ExactDecimal, _ currency: String) -> String {
        "\(amount.description) \(currency)"
    }

    /// Zero at `currency`'s minor unit: where a sum of its amounts starts, so a total of no
    /// charges still prints `0.00`.
    static func zeroAmount(_ currency: String) -> ExactDecimal {
        .zero(scale: Currency.minorUnit(of: currency) ?? Currency.fallbackMinorUnit)
    }

    /// Zero hours at one decimal (`0.0`), where a sum of billed hours starts.
    static let zeroHours = ExactDecimal.zero(scale: 1)

    /// `HH:MM`.
    static func time(_ time: LocalDateTime) -> String {
        let hour = time.hour < 10 ? "0\(time.hour)" : "\(time.hour)"
        let minute = time.minute < 10 ? "0\(time.minute)" : "\(time.minute)"
        return "\(hour):\(minute)"
    }
}
