/// One of the report's tables (per client, matter, timekeeper or day) as both the HTML page and
/// the terminal print it: its title, what its key and label columns are called, its lines, and
/// the totals per currency.
struct ReportSection: Sendable {
    var title: String
    /// The key column's heading (`ID`, `Day`).
    var keyTitle: String
    /// The label column's heading; `nil` when the label repeats the key (days).
    var labelTitle: String?
    var lines: [BillingReport.Line]

    /// The four sections of `report`, in the order the report shows them.
    static func sections(of report: BillingReport) -> [ReportSection] {
        [
            ReportSection(title: "Per client", keyTitle: "Client", labelTitle: "Name", lines: report.clients),
            ReportSection(title: "Per matter", keyTitle: "Matter", labelTitle: "Client — matter", lines: report.matters),
            ReportSection(title: "Per timekeeper", keyTitle: "Timekeeper", labelTitle: "Name", lines: report.timekeepers),
            ReportSection(title: "Per day", keyTitle: "Day", labelTitle: nil, lines: report.days),
        ]
    }

    /// One line per currency summing the section's lines of that currency (key and label
    /// empty), in order of currency code. Hours, calls and time add up across a section;
    /// amounts only within a currency.
    var totals: [BillingReport.Line] {
        var totals: [String: BillingReport.Line] = [:]
        for line in self.lines {
            var total = totals[line.currency] ?? BillingReport.Line(
                key: "", label: "", currency: line.currency, charges: 0, calls: 0, rawSeconds: 0,
                billedHours: Figures.zeroHours, fees: Figures.zeroAmount(line.currency),
                expenses: Figures.zeroAmount(line.currency))
            total.charges += line.charges
            total.calls += line.calls
            total.rawSeconds += line.rawSeconds
            total.billedHours = total.billedHours.adding(line.billedHours)
            total.fees = total.fees.adding(line.fees)
            total.expenses = total.expenses.adding(line.expenses)
            totals[line.currency] = total
        }
        return totals.values.sorted { $0.currency < $1.currency }
    }
}
