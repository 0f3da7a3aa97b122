import SMDRCore

/// `smdr report --html`: the report as one self-contained page with inline SVG charts (drawn
/// here, no library, no script): bars of billed hours per client and per timekeeper, a line of
/// billed hours per day, then the tables per client, matter, timekeeper and day with their
/// totals per currency, and what is not billed yet.
package enum ReportPage {
    /// The page, UTF-8; the same report gives the same bytes.
    package static func html(_ report: BillingReport, paper: Paper) -> [UInt8] {
        var body = Self.header(report)
        body += Self.notBilled(report)
        body += "<h2>Charts</h2>\n"
        body += Self.figure("Billed hours per client", BarChart(report.clients).svg(title: "Billed hours per client"))
        body += Self.figure(
            "Billed hours per timekeeper", BarChart(report.timekeepers).svg(title: "Billed hours per timekeeper"))
        body += Self.figure(
            "Billed hours per day",
            DayLineChart(from: report.from, to: report.to, lines: report.days).svg(title: "Billed hours per day"))
        for section in ReportSection.sections(of: report) {
            body += Self.table(section)
        }
        return HTMLPage.document(title: "Billed time \(report.from) – \(report.to)", paper: paper, body: body)
    }

    private static func header(_ report: BillingReport) -> HTML {
        var firm: HTML = "<div class=\"firm-name\">\(report.firm.name)</div>\n"
        for line in report.firm.address {
            firm += "<div>\(line)</div>\n"
        }
        return """
            <header class="masthead">
            <div class="firm">
            \(firm)</div>
            <div class="report">
            <h1>Billed time</h1>
            <table class="facts">
            <tr><th>Period</th><td>\(report.from) – \(report.to)</td></tr>
            </table>
            </div>
            </header>

            """
    }

    /// The review queue and the legs without a plan, up front, so nothing slips.
    private static func notBilled(_ report: BillingReport) -> HTML {
        """
        <div class="box not-billed">
        <h3>Not billed yet</h3>
        <table class="facts">
        <tr><th>Review queue</th><td class="num">\(Figures.count(report.reviewQueueCalls, "call", "calls"))</td>\
        <td class="num">\(Figures.minutes(seconds: report.reviewQueueSeconds)) minutes</td></tr>
        <tr><th>Unrated legs</th><td class="num">\(Figures.count(report.unratedLegs, "leg", "legs"))</td>\
        <td class="num">\(Figures.minutes(seconds: report.unratedSeconds)) minutes</td></tr>
        </table>
        </div>

        """
    }

    private static func figure(_ caption: String, _ chart: HTML) -> HTML {
        "<figure>\n<figcaption>\(caption)</figcaption>\n\(chart)</figure>\n"
    }

    /// A section's lines and a totals row per currency.
    private static func table(_ section: ReportSection) -> HTML {
        var head: HTML = "<th>\(section.keyTitle)</th>"
        if let labelTitle = section.labelTitle { head += "<th>\(labelTitle)</th>" }
        var table: HTML = """
            <h2>\(section.title)</h2>
            <table class="report">
            <thead><tr>\(head)<th>Currency</th><th class="num">Calls</th><th class="num">Minutes</th>\
            <th class="num">Hours</th><th class="num">Fees</th><th class="num">Expenses</th><th class="num">Total</th>\
            </tr></thead>
            <tbody>

            """
        for line in section.lines {
            var names: HTML = "<td>\(line.key)</td>"
            if section.labelTitle != nil { names += "<td>\(line.label)</td>" }
            table += "<tr>\(names)\(Self.figures(line))</tr>\n"
        }
        let span: HTML = section.labelTitle == nil ? "1" : "2"
        for total in section.totals {
            table += "<tr class=\"total\"><td colspan=\"\(span)\">Total</td>\(Self.figures(total))</tr>\n"
        }
        table += "</tbody>\n</table>\n"
        return table
    }

    private static func figures(_ line: BillingReport.Line) -> HTML {
        """
        <td>\(line.currency)</td><td class="num">\(line.calls)</td>\
        <td class="num">\(Figures.minutes(seconds: line.rawSeconds))</td>\
        <td class="num">\(Figures.hours(line.billedHours))</td><td class="num">\(line.fees)</td>\
        <td class="num">\(line.expenses)</td><td class="num">\(line.total)</td>
        """
    }
}
