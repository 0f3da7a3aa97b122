import SMDRCore
import Testing

@Suite struct LocalDateTests {
    @Test(arguments: [
        ("2026-04-01", LocalDate(year: 2026, month: 4, day: 1)),
        ("2024-02-29", LocalDate(year: 2024, month: 2, day: 29)),
    ])
    func parsesISODates(text: String, expected: LocalDate) {
        #expect(LocalDate(iso: text) == expected)
        #expect(LocalDate(iso: text)?.description == text)
    }

    @Test(arguments: ["2025-02-29", "2026-13-01", "2026-04-31", "2026-4-1", "26-04-01", "2026/04/01", "", "2026-04-01 "])
    func rejectsWhatIsNotADate(text: String) {
        #expect(LocalDate(iso: text) == nil)
    }
}

@Suite struct LocalDateTimeParsingTests {
    @Test func parsesWhatDescriptionWrites() {
        let time = LocalDateTime(year: 2026, month: 4, day: 1, hour: 13, minute: 5, second: 9)
        #expect(LocalDateTime(iso: time.description) == time)
    }

    @Test(arguments: ["2026-04-01 24:00:00", "2026-04-01 13:60:00", "2026-04-01T13:00:00", "2026-02-30 13:00:00", "2026-04-01 13:00", ""])
    func rejects(text: String) {
        #expect(LocalDateTime(iso: text) == nil)
    }
}

@Suite struct LocalDateMonthTests {
    @Test(arguments: [
        ("2026-04-15", "2026-04-01", "2026-04-30", "2026-05-01"),
        ("2024-02-10", "2024-02-01", "2024-02-29", "2024-03-01"),
        ("2026-12-31", "2026-12-01", "2026-12-31", "2027-01-01"),
    ])
    func monthBounds(date: String, first: String, last: String, next: String) throws {
        let value = try #require(LocalDate(iso: date))
        #expect([value.firstOfMonth, value.lastOfMonth, value.firstOfNextMonth].map(\.description) == [first, last, next])
    }

    @Test func addingDaysCrossesMonthsAndYears() throws {
        let value = try #require(LocalDate(iso: "2026-12-31"))
        #expect(value.adding(days: 1).description == "2027-01-01")
        #expect(value.adding(days: -366).description == "2025-12-30")
    }
}
