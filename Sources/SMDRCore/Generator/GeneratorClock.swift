/// Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01), after
/// Howard Hinnant's `days_from_civil`/`civil_from_days`. Integer-only.
package enum CivilCalendar {
    package static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    package static func civil(days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// 0 = Sunday … 6 = Saturday.
    static func weekday(days: Int) -> Int {
        let weekday = (days + 4) % 7  // 1970-01-01 was a Thursday
        return weekday >= 0 ? weekday : weekday + 7
    }

    /// The day number of the last Sunday of `month`.
    static func lastSunday(year: Int, month: Int) -> Int {
        let next = month == 12 ? Self.days(year: year + 1, month: 1, day: 1) : Self.days(year: year, month: month + 1, day: 1)
        let last = next - 1
        return last - Self.weekday(days: last)
    }
}

/// The PBX's wall clock: Europe/London rules (GMT, and BST = GMT+1 from 01:00 UTC on the last
/// Sunday of March to 01:00 UTC on the last Sunday of October), as the firm's IP Office prints
/// Call Start. Simulated time runs in UTC seconds, so local time skips an hour in March and
/// repeats one in October.
struct GeneratorClock: Sendable {
    private var cachedYear = Int.min
    private var summerStart: Int64 = 0
    private var summerEnd: Int64 = 0

    /// UTC seconds since 1970 for a London wall-clock time (the first of two, in the repeated hour).
    static func utcSeconds(local: LocalDateTime) -> Int64 {
        let days = CivilCalendar.days(year: local.year, month: local.month, day: local.day)
        let seconds = Int64(days) * 86_400 + Int64(local.hour * 3600 + local.minute * 60 + local.second)
        var clock = GeneratorClock()
        // Try BST first: that picks the earlier instant in the repeated October hour.
        if clock.localSeconds(utc: seconds - 3600) == seconds { return seconds - 3600 }
        return seconds
    }

    /// London wall-clock seconds since 1970 for a UTC instant.
    mutating func localSeconds(utc: Int64) -> Int64 {
        let year = CivilCalendar.civil(days: Int(utc / 86_400)).year
        if year != self.cachedYear {
            self.cachedYear = year
            self.summerStart = Int64(CivilCalendar.lastSunday(year: year, month: 3)) * 86_400 + 3600
            self.summerEnd = Int64(CivilCalendar.lastSunday(year: year, month: 10)) * 86_400 + 3600
        }
        return utc >= self.summerStart && utc < self.summerEnd ? utc + 3600 : utc
    }
}
