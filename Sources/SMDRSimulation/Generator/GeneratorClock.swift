import SMDRCore

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
