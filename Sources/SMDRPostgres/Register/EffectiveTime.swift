package import SMDRCore

/// The bounds of a rate assignment as the `rates` file writes them: a local date `YYYY-MM-DD`
/// (00:00 of that day) or `YYYY-MM-DD HH:MM`, at the call's site.
package enum EffectiveTime {
    /// `YYYY-MM-DD` or `YYYY-MM-DD HH:MM`; `nil` for anything else (seconds are not written).
    package static func parse(_ text: String) -> LocalDateTime? {
        if let date = LocalDate(iso: text) {
            return LocalDateTime(year: date.year, month: date.month, day: date.day, hour: 0, minute: 0)
        }
        guard text.utf8.count == 16 else { return nil }
        return LocalDateTime(iso: text + ":00")
    }

    /// `YYYY-MM-DD` when the time is 00:00, else `YYYY-MM-DD HH:MM` (seconds, which an import
    /// never writes, are dropped).
    package static func format(_ time: LocalDateTime) -> String {
        let text = time.description
        return time.hour == 0 && time.minute == 0 && time.second == 0 ? String(text.prefix(10)) : String(text.prefix(16))
    }

    /// The same as ``format(_:)`` in SQL, for a `timestamp` expression; `open` when NULL.
    static func sql(_ expression: String) -> String {
        "coalesce(CASE WHEN (\(expression))::time = '00:00' THEN to_char(\(expression), 'YYYY-MM-DD') "
            + "ELSE to_char(\(expression), 'YYYY-MM-DD HH24:MI') END, 'open')"
    }
}
