/// Proleptic Gregorian calendar arithmetic on plain integers (no Foundation calendar), for
/// turning wall-clock values into seconds and formatting instants for PostgreSQL.
package enum CivilTime {
    /// Days since 1970-01-01 of a civil date.
    package static func days(year: Int, month: Int, day: Int) -> Int64 {
        Int64(CivilCalendar.days(year: year, month: month, day: day))
    }

    /// The wall-clock value read as if it were UTC, in seconds since 1970.
    package static func naiveSeconds(_ local: LocalDateTime) -> Int64 {
        Self.days(year: local.year, month: local.month, day: local.day) * 86_400
            + Int64(local.hour * 3600 + local.minute * 60 + local.second)
    }

    /// `YYYY-MM-DD HH:MM:SS[.ffffff]+00`, PostgreSQL `timestamptz` input for an instant.
    package static func utcTimestamp(microseconds: Int64) -> String {
        var seconds = microseconds / 1_000_000
        var fraction = microseconds % 1_000_000
        if fraction < 0 {
            fraction += 1_000_000
            seconds -= 1
        }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let (year, month, day) = CivilCalendar.civil(days: Int(days))
        var text = Self.pad(year, 4) + "-" + Self.pad(month, 2) + "-" + Self.pad(day, 2) + " "
        text += Self.pad(Int(secondOfDay / 3600), 2) + ":" + Self.pad(Int(secondOfDay / 60 % 60), 2) + ":"
        text += Self.pad(Int(secondOfDay % 60), 2)
        if fraction != 0 { text += "." + Self.pad(Int(fraction), 6) }
        return text + "+00"
    }

    package static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
