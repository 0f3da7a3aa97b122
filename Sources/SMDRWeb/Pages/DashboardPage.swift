package import SMDRCore
package import SMDRPostgres
package import SMDRReports

/// The dashboard: a month's billed hours and amounts per client and per timekeeper (`smdr
/// report`'s figures and bar charts), its totals per currency, what is not billed yet (the
/// month's calls in the review queue, legs without a plan), and each site's ingest health.
package struct DashboardPage {
    /// Names listed in the per-client and per-timekeeper tables, most hours first; the rest are
    /// one "Other (n)" line per currency (a firm has hundreds of clients a month; the totals
    /// above count them all).
    package static let tableLines = 25

    var month: LocalDate
    var report: BillingReport
    var health: [DashboardStore.SiteHealth]
    var problems: [String]

    package init(month: LocalDate, report: BillingReport, health: [DashboardStore.SiteHealth], problems: [String]) {
        self.month = month
        self.report = report
        self.health = health
        self.problems = problems
    }

    package var body: HTML {
        let previous = self.month.adding(days: -1).firstOfMonth
        let next = self.month.firstOfNextMonth
        var html: HTML = """
            <h1>Dashboard · \(self.month.yearMonthText)</h1>

            """
        html += WebPage.problems(self.problems)
        html += """
            <form class="filters" method="get" action="/dashboard">
            <a class="previous" href="\(WebLink.path(["dashboard"], query: [("month", previous.yearMonthText)]))">← \(previous.yearMonthText)</a>
            <label>Month <input type="month" name="month" value="\(self.month.yearMonthText)" placeholder="YYYY-MM"></label>
            <button type="submit">Show</button>
            <a class="next" href="\(WebLink.path(["dashboard"], query: [("month", next.yearMonthText)]))">\(next.yearMonthText) →</a>
            </form>

            """
        html += self.summary
        html += """
            <div class="charts">
            <figure class="chart"><figcaption>Billed hours per client</figcaption>
            \(BarChart(self.report.clients).svg(title: "Billed hours per client"))</figure>
            <figure class="chart"><figcaption>Billed hours per timekeeper</figcaption>
            \(BarChart(self.report.timekeepers).svg(title: "Billed hours per timekeeper"))</figure>
            </div>

            """
        html += Self.table("Per client", class: "per-client", kind: "client", lines: self.report.clients)
        html += Self.table("Per timekeeper", class: "per-timekeeper", kind: "timekeeper", lines: self.report.timekeepers)
        html += self.healthTable
        return html
    }

    /// Totals per currency, the review queue and the month's unbilled minutes.
    private var summary: HTML {
        var totals: [String: (hours: ExactDecimal, fees: ExactDecimal, expenses: ExactDecimal, calls: Int)] = [:]
        for line in self.report.clients {
            let sum = totals[line.currency] ?? (ExactDecimal.zero(scale: 1), ExactDecimal.zero(scale: line.fees.scale), ExactDecimal.zero(scale: line.expenses.scale), 0)
            totals[line.currency] = (sum.hours.adding(line.billedHours), sum.fees.adding(line.fees), sum.expenses.adding(line.expenses), sum.calls + line.calls)
        }
        var rows = HTML()
        for currency in totals.keys.sorted() {
            let sum = totals[currency]!
            rows += """
                <tr class="currency-total" data-currency="\(currency)"><th>\(currency)</th><td class="num">\(sum.calls)</td>\
                <td class="num">\(sum.hours)</td><td class="num fees">\(sum.fees)</td><td class="num">\(sum.expenses)</td></tr>

                """
        }
        if totals.isEmpty { rows = "<tr><td colspan=\"5\" class=\"muted\">Nothing billed in this month.</td></tr>\n" }
        let unbilled = self.report.reviewQueueSeconds + self.report.unratedSeconds
        return """
            <div class="tiles">
            <section class="tile totals"><h2>Billed in the month</h2>
            <table class="totals"><thead><tr><th>Currency</th><th class="num">Calls</th><th class="num">Hours</th><th class="num">Fees</th><th class="num">Expenses</th></tr></thead>
            <tbody>
            \(rows)</tbody></table></section>
            <section class="tile queue"><h2>Review queue</h2>
            <p><a href="\(WebLink.path(["queue"], query: [("from", self.month.description), ("to", self.month.lastOfMonth.description)]))">\
            <span class="queue-calls">\(self.report.reviewQueueCalls)</span> call(s)</a> of the month, \
            \(Figures.minutes(seconds: self.report.reviewQueueSeconds)) minutes, wait for a code.</p></section>
            <section class="tile unbilled"><h2>Not billed yet</h2>
            <p><span class="unbilled-minutes">\(Figures.minutes(seconds: unbilled))</span> minutes of the month: \
            \(Figures.minutes(seconds: self.report.reviewQueueSeconds)) in the review queue, \
            \(Figures.minutes(seconds: self.report.unratedSeconds)) on legs without a rate plan (\(self.report.unratedLegs) leg(s)).</p></section>
            </div>

            """
    }

    private static func table(_ title: StaticString, class name: StaticString, kind: StaticString, lines: [BillingReport.Line]) -> HTML {
        var html: HTML = "<h2>\(HTML(stringLiteral: title))</h2>\n"
        guard !lines.isEmpty else {
            html += "<p class=\"empty\">No charges.</p>\n"
            return html
        }
        html += """
            <table class="\(HTML(stringLiteral: name))">
            <thead><tr><th>Name</th><th>ID</th><th>Currency</th><th class="num">Calls</th><th class="num">Billed hours</th><th class="num">Fees</th><th class="num">Expenses</th></tr></thead>
            <tbody>

            """
        let (shown, others, otherCount) = Self.top(lines, Self.tableLines)
        for line in shown {
            html += """
                <tr class="\(HTML(stringLiteral: kind))" data-key="\(line.key)" data-currency="\(line.currency)"><td>\(line.label)</td><td>\(line.key)</td>\
                <td>\(line.currency)</td><td class="num">\(line.calls)</td><td class="num">\(line.billedHours)</td>\
                <td class="num fees">\(line.fees)</td><td class="num">\(line.expenses)</td></tr>

                """
        }
        for line in others {
            html += """
                <tr class="other" data-currency="\(line.currency)"><td>Other (\(otherCount))</td><td></td>\
                <td>\(line.currency)</td><td class="num">\(line.calls)</td><td class="num">\(line.billedHours)</td>\
                <td class="num fees">\(line.fees)</td><td class="num">\(line.expenses)</td></tr>

                """
        }
        html += "</tbody>\n</table>\n"
        return html
    }

    /// The lines of the `limit` keys with the most hours (a key's currencies added up, as the
    /// bar chart ranks them; ties by key), and the rest summed per currency, with how many keys
    /// they are.
    private static func top(_ lines: [BillingReport.Line], _ limit: Int) -> (shown: [BillingReport.Line], others: [BillingReport.Line], count: Int) {
        var hours: [String: ExactDecimal] = [:]
        for line in lines { hours[line.key] = (hours[line.key] ?? .zero(scale: 1)).adding(line.billedHours) }
        let ranked = hours.keys.sorted { left, right in
            let difference = hours[left]!.subtracting(hours[right]!).units
            return difference != 0 ? difference > 0 : left < right
        }
        let shownKeys = Set(ranked.prefix(limit))
        let rank = Dictionary(uniqueKeysWithValues: ranked.enumerated().map { ($1, $0) })
        // By rank; a key's lines (one per currency) in the order given.
        let shown = lines.enumerated().filter { shownKeys.contains($0.element.key) }
            .sorted { (rank[$0.element.key]!, $0.offset) < (rank[$1.element.key]!, $1.offset) }.map(\.element)
        var others: [String: BillingReport.Line] = [:]
        for line in lines where !shownKeys.contains(line.key) {
            guard let sum = others[line.currency] else {
                others[line.currency] = BillingReport.Line(
                    key: "", label: "", currency: line.currency, charges: line.charges, calls: line.calls, rawSeconds: line.rawSeconds,
                    billedHours: line.billedHours, fees: line.fees, expenses: line.expenses
                )
                continue
            }
            others[line.currency] = BillingReport.Line(
                key: "", label: "", currency: line.currency, charges: sum.charges + line.charges, calls: sum.calls + line.calls,
                rawSeconds: sum.rawSeconds + line.rawSeconds, billedHours: sum.billedHours.adding(line.billedHours),
                fees: sum.fees.adding(line.fees), expenses: sum.expenses.adding(line.expenses)
            )
        }
        return (shown, others.keys.sorted().map { others[$0]! }, ranked.count - shownKeys.count)
    }

    /// Is each site's PBX sending?
    private var healthTable: HTML {
        var html: HTML = "<h2>Ingest health</h2>\n"
        guard !self.health.isEmpty else {
            html += "<p class=\"empty\">No site is set up (smdr site add).</p>\n"
            return html
        }
        html += """
            <table class="ingest-health">
            <thead><tr><th>Site</th><th>Last line received</th><th>Last call</th><th class="num">Lines today</th><th class="num">Rejects today</th>\
            <th class="num">Missing Call IDs today</th></tr></thead>
            <tbody>

            """
        for site in self.health {
            let rejects: HTML = site.rejectsToday > 0 ? "<td class=\"num bad\">\(site.rejectsToday)</td>" : "<td class=\"num\">0</td>"
            html += """
                <tr class="site" data-site="\(site.site)"><td>\(site.site)</td><td>\(site.lastReceivedAt ?? "none recently")</td>\
                <td>\(site.lastCallStart ?? "none")</td><td class="num">\(site.linesToday)</td>\(rejects)\
                <td class="num">\(site.callIDGapsToday)</td></tr>

                """
        }
        html += "</tbody>\n</table>\n"
        return html
    }
}
