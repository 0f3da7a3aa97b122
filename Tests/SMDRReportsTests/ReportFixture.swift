import SMDRCore
import SMDRReports

/// A hand-made report for April 2026: two clients (one in two currencies), 17 timekeepers (more
/// than the charts' 15 bars), two days with charges.
enum ReportFixture {
    static func line(
        _ key: String, _ label: String, _ currency: String = "GBP", charges: Int = 1, calls: Int = 1, seconds: Int,
        hours: ExactDecimal, fees: ExactDecimal, expenses: ExactDecimal = ExactDecimal(units: 0, scale: 2)
    ) -> BillingReport.Line {
        BillingReport.Line(
            key: key, label: label, currency: currency, charges: charges, calls: calls, rawSeconds: seconds,
            billedHours: hours, fees: fees, expenses: expenses)
    }

    static func decimal(_ units: Int64, _ scale: Int) -> ExactDecimal { ExactDecimal(units: units, scale: scale) }

    static let clients = [
        line("C1", "Acme Ltd", charges: 2, calls: 2, seconds: 1440, hours: decimal(20, 1), fees: decimal(60000, 2), expenses: decimal(145, 2)),
        line("C2", "Beta plc", "EUR", seconds: 600, hours: decimal(25, 2), fees: decimal(5000, 2)),
        line("C2", "Beta plc", seconds: 600, hours: decimal(25, 2), fees: decimal(7500, 2)),
    ]

    /// T01 1.7 h, T02 1.6 h, … T17 0.1 h, each at 100.00 an hour.
    static let timekeepers = (1...17).map { index in
        let tenths = Int64(18 - index)
        let key = index < 10 ? "T0\(index)" : "T\(index)"
        return line(key, "Keeper \(key)", seconds: Int(tenths) * 360, hours: decimal(tenths, 1), fees: decimal(tenths * 1000, 2))
    }

    static let report = BillingReport(
        firm: Firm(name: "Smith & Jones LLP", address: ["1 High Street"], lawFirmID: "GB123"),
        from: LocalDate(year: 2026, month: 4, day: 1), to: LocalDate(year: 2026, month: 4, day: 30),
        clients: clients,
        matters: [
            line("C1/M1", "Acme Ltd — Smith v Jones", charges: 2, calls: 2, seconds: 1440, hours: decimal(20, 1), fees: decimal(60000, 2), expenses: decimal(145, 2)),
            line("C2", "Beta plc", "EUR", seconds: 600, hours: decimal(25, 2), fees: decimal(5000, 2)),
            line("C2", "Beta plc", seconds: 600, hours: decimal(25, 2), fees: decimal(7500, 2)),
        ],
        timekeepers: timekeepers,
        days: [
            line("2026-04-02", "2026-04-02", charges: 2, calls: 2, seconds: 5000, hours: decimal(15, 1), fees: decimal(45000, 2)),
            line("2026-04-10", "2026-04-10", "EUR", seconds: 600, hours: decimal(25, 2), fees: decimal(5000, 2)),
            line("2026-04-10", "2026-04-10", seconds: 1800, hours: decimal(5, 1), fees: decimal(15000, 2)),
        ],
        reviewQueueCalls: 3, reviewQueueSeconds: 750, unratedLegs: 2, unratedSeconds: 240)
}
