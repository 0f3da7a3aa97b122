import SMDRCore

/// `smdr report --format table`: the report's tables for a terminal, aligned by display width,
/// with a totals line per table and currency, then what is not billed yet.
package enum ReportTable {
    package static func text(_ report: BillingReport) -> String {
        var text = TerminalText.sanitized("Billed time \(report.from) – \(report.to)")
        if !report.firm.name.isEmpty {
            text += TerminalText.sanitized(" — \(report.firm.name)")
        }
        text += "\n"
        for section in ReportSection.sections(of: report) {
            text += "\n\(section.title)\n"
            text += Self.table(section).text
        }
        text += "\nNot billed yet\n"
        text += "Review queue: \(Figures.count(report.reviewQueueCalls, "call", "calls")), \(Figures.minutes(seconds: report.reviewQueueSeconds)) minutes\n"
        text += "Unrated legs: \(Figures.count(report.unratedLegs, "leg", "legs")), \(Figures.minutes(seconds: report.unratedSeconds)) minutes\n"
        return text
    }

    private static func table(_ section: ReportSection) -> TextTable {
        var columns = [TextTable.Column(section.keyTitle, .left)]
        if let labelTitle = section.labelTitle { columns.append(TextTable.Column(labelTitle, .left)) }
        columns += [
            TextTable.Column("Currency", .left), TextTable.Column("Calls", .right), TextTable.Column("Minutes", .right),
            TextTable.Column("Hours", .right), TextTable.Column("Fees", .right), TextTable.Column("Expenses", .right),
            TextTable.Column("Total", .right),
        ]
        var table = TextTable(columns)
        func figures(_ line: BillingReport.Line) -> [String] {
            [
                line.currency, String(line.calls), Figures.minutes(seconds: line.rawSeconds), Figures.hours(line.billedHours),
                line.fees.description, line.expenses.description, line.total.description,
            ]
        }
        for line in section.lines {
            table.append((section.labelTitle == nil ? [line.key] : [line.key, line.label]) + figures(line))
        }
        table.appendRule()
        for total in section.totals {
            table.append((section.labelTitle == nil ? ["Total"] : ["Total", ""]) + figures(total))
        }
        return table
    }
}
