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
                    // Another month: nothing billed.
                    let november = try await browser.get("/dashboard").body
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
