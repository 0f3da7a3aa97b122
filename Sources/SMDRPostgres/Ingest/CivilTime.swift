package import SMDRCore

/// Proleptic Gregorian calendar arithmetic on plain integers (no Foundation calendar), for
/// turning wall-clock values into seconds and formatting instants for PostgreSQL.
package enum CivilTime {
    /// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
    package static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of a day number (`civil_from_days`).
    package static func date(days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0)), Int(month), Int(day))
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
        let (year, month, day) = Self.date(days: days)
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
