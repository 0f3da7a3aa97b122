import SMDRCore
import Testing

/// `YYYY-MM`: the month of the web app's dashboard and statements, and nothing else.
struct LocalDateYearMonthTests {
    @Test func readsAMonthAsItsFirstDay() {
        #expect(LocalDate(yearMonth: "2026-04") == LocalDate(year: 2026, month: 4, day: 1))
        #expect(LocalDate(yearMonth: "0001-12") == LocalDate(year: 1, month: 12, day: 1))
        #expect(LocalDate(yearMonth: "2026-04")?.yearMonthText == "2026-04")
        #expect(LocalDate(year: 987, month: 3, day: 31).yearMonthText == "0987-03")
    }

    @Test(arguments: ["", "2026", "2026-4", "2026-13", "2026-00", "0000-01", "2026-04-01", " 2026-04", "2026-04 ", "2026/04", "20x6-04", "+026-04", "2026--4"])
    func refusesAnythingElse(_ text: String) {
        #expect(LocalDate(yearMonth: text) == nil)
    }
}
