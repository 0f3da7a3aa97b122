import Foundation
import HTTPTypes
import SMDRCore
import SMDRPostgres
import SMDRReports
import SMDRTestSupport
import SMDRWeb
import Testing

/// The calls page (`/calls`) on ``QueueFixture``'s firm: the usage report's rows with their match
/// rule and charge traces, narrowed by each filter, paged, escaped.
@Suite(.timeLimit(.minutes(5)))
struct CallsTests {
    private typealias Fixture = QueueFixture
    private static let october = "from=2026-10-01&to=2026-10-31"

    @Test func showsTheUsageReportWithRulesAndTraces() async throws {
        try await Fixture.with { firm in
            try await WebHarness.with(firm.database) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    try await browser.signIn("viewer")
                    let page = try await browser.get("/calls?" + Self.october)
                    #expect(page.status == .ok)
                    // Every October call with billable time, newest first.
                    #expect(QueueTests.callIDs(page.body) == [1_010_012, 1_010_011, 1_010_010, 1_010_006, 1_010_005, 1_010_004, 1_010_003, 1_010_002, 1_010_001])
                    let second = try #require(Self.row(page.body, 1_010_002))
                    #expect(second.contains("<td>2026-10-02</td><td>09:00:00</td>"))
                    #expect(second.contains("Dana Dee"))
                    #expect(second.contains("<td class=\"num\">0:11:40</td>"))
                    #expect(second.contains("<td>Alpha Ltd</td><td>Merger</td>"))
                    // 700 s → 0.2 h × 100.00 = 20.00.
                    #expect(second.contains("<td class=\"num\">20.00 GBP</td><td class=\"rule\">code</td>"))
                    let trace = try #require(try RatingFirm.strings(
                        try firm.connect(), "SELECT trace FROM smdr.charges WHERE kind = 'fee' AND 1010002 = ANY (call_ids)"
                    ).first)
                    #expect(second.contains("<span class=\"trace\">\(HTMLText.escape(trace))</span>"))
                    #expect(second.contains("fee, leg, rule code"))
                    // Queued calls: their rule, no charge.
                    let queued = try #require(Self.row(page.body, Fixture.eliCall.id))
                    #expect(queued.contains("<td class=\"rule\">unassigned</td>") && queued.contains("not charged"))
                    let unrated = try #require(Self.row(page.body, 1_010_006))
                    #expect(unrated.contains("<td class=\"rule\">code_pattern</td>") && unrated.contains("Charlie &amp; Co"))
                    // The default period is today's month (the harness's: October 2026).
                    let current = try await browser.get("/calls")
                    #expect(QueueTests.callIDs(current.body) == QueueTests.callIDs(page.body))
                    #expect(current.body.contains("name=\"from\" value=\"2026-10-01\""))
                }
            }
        }
    }

    /// Another today, another default month: November 2026 has no calls.
    @Test func theDefaultPeriodIsTodaysMonth() async throws {
        try await Fixture.with { firm in
            try await WebHarness.with(firm.database, today: LocalDate(year: 2026, month: 11, day: 30)) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    try await browser.signIn("viewer")
                    let current = try await browser.get("/calls")
                    #expect(QueueTests.callIDs(current.body).isEmpty)
                    #expect(current.body.contains("name=\"from\" value=\"2026-11-01\"") && current.body.contains("name=\"to\" value=\"2026-11-30\""))
                    #expect(current.body.contains("No call with billable time matches."))
                }
            }
        }
    }

    @Test func filtersNarrowTheRows() async throws {
        try await Fixture.with { firm in
            try await WebHarness.with(firm.database) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    try await browser.signIn("viewer")
                    func ids(_ query: String) async throws -> [Int] {
                        QueueTests.callIDs(try await browser.get("/calls?" + Self.october + "&" + query).body)
                    }
                    #expect(try await ids("client=ALPHA") == [1_010_005, 1_010_004, 1_010_002, 1_010_001])
                    #expect(try await ids("client=ALPHA&timekeeper=TK2") == [1_010_004])
                    #expect(try await ids("code=5202") == [1_010_003])
                    #expect(try await ids("number=960100") == [1_010_010, 1_010_003, 1_010_002, 1_010_001])
                    #expect(try await ids("q=SCRIPT") == [1_010_010])
                    #expect(try await ids("q=%25") == [])
                    // A name or number search covers the last 31 days of a longer period, and says so.
                    let wide = try await browser.get("/calls?from=2026-06-01&to=2026-10-31&q=SCRIPT").body
                    #expect(QueueTests.callIDs(wide) == [1_010_010])
                    #expect(wide.contains("covers at most 31 days: from is 2026-10-01."))
                    #expect(wide.contains("name=\"from\" value=\"2026-10-01\""))
                    #expect(QueueTests.callIDs(try await browser.get("/calls?from=2026-10-02&to=2026-10-03").body) == [1_010_003, 1_010_002])
                    // After an assignment the call shows its manual rule and charge.
                    let billing = WebBrowser(client)
                    try await billing.signIn("billing")
                    _ = try await billing.get("/queue")
                    _ = try await billing.post("/queue/assign", [("call", Fixture.eliCall.checkbox), ("code", "5202")])
                    let row = try #require(Self.row(try await browser.get("/calls?" + Self.october + "&code=5202").body, Fixture.eliCall.id))
                    #expect(row.contains("<td class=\"num\">20.00 GBP</td><td class=\"rule\">manual</td>"))
                    #expect(row.contains("rule manual"))
                }
            }
        }
    }

    @Test func pagesKeepTheFilters() async throws {
        try await Fixture.with { firm in
            let settings = try WebHarness.settings { $0.pageSize = "3" }
            try await WebHarness.with(firm.database, settings: settings) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    try await browser.signIn("viewer")
                    let first = try await browser.get("/calls?" + Self.october + "&client=ALPHA")
                    #expect(QueueTests.callIDs(first.body) == [1_010_005, 1_010_004, 1_010_002])
                    #expect(first.body.contains("href=\"/calls?from=2026-10-01&amp;to=2026-10-31&amp;client=ALPHA&amp;page=2\""))
                    let second = try await browser.get("/calls?" + Self.october + "&client=ALPHA&page=2")
                    #expect(QueueTests.callIDs(second.body) == [1_010_001])
                }
            }
        }
    }

    @Test func callDataIsEscaped() async throws {
        try await Fixture.with { firm in
            try await WebHarness.with(firm.database) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    try await browser.signIn("viewer")
                    let body = try await browser.get("/calls?" + Self.october).body
                    Fixture.expectEscaped(body, Fixture.hostile)
                    Fixture.expectEscaped(body, Fixture.hostileNumber)
                    #expect(body.contains("<td class=\"caller\">&lt;script&gt;alert(1)&lt;/script&gt;</td>"))
                    let echoed = try await browser.get("/calls?" + Self.october + "&number=%22%20onfocus%3D%22alert(1)").body
                    #expect(echoed.contains("name=\"number\" value=\"&quot; onfocus=&quot;alert(1)\""))
                    #expect(!echoed.contains("\" onfocus=\""))
                }
            }
        }
    }

    /// The `<tr class="call" …>` row of a call.
    static func row(_ body: String, _ id: Int) -> String? {
        guard let start = body.range(of: "data-call-id=\"\(id)\""), let end = body[start.upperBound...].range(of: "</tr>") else { return nil }
        return String(body[start.lowerBound..<end.upperBound])
    }
}
