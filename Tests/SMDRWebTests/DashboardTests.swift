import Foundation
import HTTPTypes
import SMDRCore
import SMDRPostgres
import SMDRReports
import SMDRTestSupport
import SMDRWeb
import Testing

/// The dashboard (`/dashboard`) on ``QueueFixture``'s firm: the month's figures are the charges'
/// sums, with the queue, the unbilled minutes and each site's ingest health; call data escaped.
@Suite(.timeLimit(.minutes(5)))
struct DashboardTests {
    private typealias Fixture = QueueFixture

    @Test func perClientTotalsAreTheChargesSums() async throws {
        try await Fixture.with { firm in
            try await WebHarness.with(firm.database) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    try await browser.signIn("viewer")
                    let page = try await browser.get("/dashboard?month=2026-10")
                    #expect(page.status == .ok)
                    let body = page.body
                    let sums = try RatingFirm.strings(
                        try firm.connect(),
                        """
                        SELECT client_id || '|' || currency || '|' || sum(amount) FILTER (WHERE kind = 'fee')
                        FROM smdr.charges WHERE month = DATE '2026-10-01' GROUP BY client_id, currency ORDER BY client_id
                        """
                    )
                    // By hand: ALPHA 10.00 + 20.00 + 10.00 + 10.00, BRAVO 20.00.
                    #expect(sums == ["ALPHA|GBP|50.00", "BRAVO|GBP|20.00"])
                    #expect(Self.clientFees(body) == sums)
                    #expect(body.contains("<tr class=\"currency-total\" data-currency=\"GBP\"><th>GBP</th><td class=\"num\">5</td>"))
                    #expect(body.contains("<td class=\"num fees\">70.00</td>"))
                    // Charts: per client and per timekeeper.
                    #expect(body.contains("<svg viewBox=") && body.contains("<title>Billed hours per client</title>"))
                    #expect(body.contains("<title>Billed hours per timekeeper</title>"))
                    #expect(body.contains("<tr class=\"timekeeper\" data-key=\"TK1\" data-currency=\"GBP\"><td>Dana Dee</td>"))
                    // October's queue: 3 calls of 300 s (15.0 minutes); unbilled: those and
                    // CHARLIE's leg without a plan (5.0).
                    #expect(body.contains("<span class=\"queue-calls\">3</span> call(s)</a> of the month, 15.0 minutes"))
                    #expect(body.contains("<span class=\"unbilled-minutes\">20.0</span> minutes"))
                    // Ingest health of site demo.
                    #expect(body.contains("<tr class=\"site\" data-site=\"demo\"><td>demo</td>"))
                    // Without a month: today's (the harness's 2026-10-15).
                    let current = try await browser.get("/dashboard").body
                    #expect(current.contains("Dashboard · 2026-10"))
                    #expect(Self.clientFees(current) == sums)
                    // Another month: nothing billed.
                    let november = try await browser.get("/dashboard?month=2026-11").body
                    #expect(november.contains("Dashboard · 2026-11"))
                    #expect(Self.clientFees(november).isEmpty)
                    let bad = try await browser.get("/dashboard?month=2026-13")
                    #expect(bad.status == .ok && bad.body.contains("is not a month"))
                }
            }
        }
    }

    /// The dashboard's lean figures are `smdr report`'s (``ReportStore/report(firm:from:to:on:)``).
    @Test func theFiguresAreTheReports() async throws {
        try await Fixture.with { firm in
            let connection = try firm.connect()
            let month = try #require(LocalDate(iso: "2026-10-01"))
            let web = Firm(name: "", address: [], lawFirmID: "")
            for (from, to) in [(month, month.lastOfMonth), (LocalDate(year: 2026, month: 9, day: 1), month.lastOfMonth)] {
                let lean = try DashboardStore.figures(firm: web, from: from, to: to, on: connection)
                let report = try ReportStore.report(firm: web, from: from, to: to, on: connection)
                #expect(lean.clients == report.clients)
                #expect(lean.timekeepers == report.timekeepers)
                #expect(lean.reviewQueueCalls == report.reviewQueueCalls && lean.reviewQueueSeconds == report.reviewQueueSeconds)
                #expect(lean.unratedLegs == report.unratedLegs && lean.unratedSeconds == report.unratedSeconds)
                #expect(!lean.clients.isEmpty && lean.reviewQueueCalls > 0 && lean.unratedLegs > 0)
            }
        }
    }

    @Test func callDataIsEscaped() async throws {
        try await Fixture.with { firm in
            try await WebHarness.with(firm.database) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    try await browser.signIn("viewer")
                    // The user with the hostile name bills ALPHA without being a timekeeper: the
                    // timekeeper table and chart show the name the PBX gave.
                    let body = try await browser.get("/dashboard?month=2026-10").body
                    Fixture.expectEscaped(body, Fixture.hostile)
                    #expect(body.contains("&lt;script&gt;alert(1)&lt;/script&gt; (not registered)"))
                    let echoed = try await browser.get("/dashboard?month=%22%3E%3Cscript%3E").body
                    #expect(!echoed.contains("\"><script>"))
                    #expect(echoed.contains("&quot;&gt;&lt;script&gt;"))
                }
            }
        }
    }

    /// A month of many clients: the table lists the ``DashboardPage/tableLines`` with the most
    /// hours, the rest as "Other (n)" per currency; the totals count every client.
    @Test func tablesListTheTopNamesAndTheRestAsOther() throws {
        func line(_ index: Int, _ currency: String = "GBP") -> BillingReport.Line {
            let key = index < 10 ? "C0\(index)" : "C\(index)"
            return BillingReport.Line(
                key: key, label: "Client \(key)", currency: currency, charges: 1, calls: index, rawSeconds: index * 360,
                billedHours: ExactDecimal(units: Int64(index), scale: 1), fees: ExactDecimal(units: Int64(index) * 1_000, scale: 2),
                expenses: ExactDecimal(units: 0, scale: 2)
            )
        }
        // C01 … C30 (C30 the most hours), and EUR lines of C30 (listed) and C02 (not).
        let clients = (1...30).map { line($0) } + [line(30, "EUR"), line(2, "EUR")]
        let month = LocalDate(year: 2026, month: 10, day: 1)
        let report = BillingReport(
            firm: Firm(name: "", address: [], lawFirmID: ""), from: month, to: month.lastOfMonth, clients: clients, matters: [],
            timekeepers: [], days: [], reviewQueueCalls: 0, reviewQueueSeconds: 0, unratedLegs: 0, unratedSeconds: 0
        )
        let body = String(decoding: DashboardPage(month: month, report: report, health: [], problems: []).body.bytes, as: UTF8.self)
        #expect(DashboardPage.tableLines == 25)
        let listed = Self.clientFees(body)
        #expect(listed.count == 26)
        #expect(listed.prefix(3) == ["C30|GBP|300.00", "C30|EUR|300.00", "C29|GBP|290.00"])
        #expect(listed.last == "C06|GBP|60.00")
        // C01 … C05: 1.5 h, 15 calls, 150.00 GBP; C02's EUR line alone in EUR.
        #expect(body.contains(
            "<tr class=\"other\" data-currency=\"GBP\"><td>Other (5)</td><td></td><td>GBP</td><td class=\"num\">15</td><td class=\"num\">1.5</td><td class=\"num fees\">150.00</td>"
        ))
        #expect(body.contains("<tr class=\"other\" data-currency=\"EUR\"><td>Other (5)</td><td></td><td>EUR</td><td class=\"num\">2</td>"))
        // Totals of every client: GBP 10.00 × (1 + … + 30) = 4650.00 over 465 calls.
        #expect(body.contains("<tr class=\"currency-total\" data-currency=\"GBP\"><th>GBP</th><td class=\"num\">465</td><td class=\"num\">46.5</td><td class=\"num fees\">4650.00</td>"))
        // The chart draws the same ranking: its own top 15 and "Other (15)".
        #expect(body.contains("Other (15)"))
    }

    /// `client|currency|fees` of the per-client table's rows.
    static func clientFees(_ body: String) -> [String] {
        body.components(separatedBy: "<tr class=\"client\" data-key=\"").dropFirst().map { row in
            let key = String(row.prefix { $0 != "\"" })
            let currency = row.components(separatedBy: "data-currency=\"").dropFirst().first.map { String($0.prefix { $0 != "\"" }) } ?? ""
            let fees = row.components(separatedBy: "<td class=\"num fees\">").dropFirst().first.map { String($0.prefix { $0 != "<" }) } ?? ""
            return "\(key)|\(currency)|\(fees)"
        }
    }
}
