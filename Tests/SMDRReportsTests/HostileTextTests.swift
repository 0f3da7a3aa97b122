import SMDRCore
import SMDRRating
import SMDRReports
import Testing

/// Names from outside (a caller's name over SIP, a client's name from another system) in every
/// field the pages show: each reads as text, nothing in it becomes markup, an attribute or a URL.
@Suite struct HostileTextTests {
    struct Hostile: Sendable, CustomTestStringConvertible {
        let text: String
        /// How it must read in the page's source.
        let escaped: String
        var testDescription: String { self.text }
    }

    static let names: [Hostile] = [
        Hostile(text: "<script>alert(1)</script>", escaped: "&lt;script&gt;alert(1)&lt;/script&gt;"),
        Hostile(text: "\"><img src=x onerror=alert(1)>", escaped: "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"),
        Hostile(text: "O'Brien", escaped: "O&#39;Brien"),
        Hostile(text: "&amp;", escaped: "&amp;amp;"),
        Hostile(text: "👩‍⚖️ Judge", escaped: "👩‍⚖️ Judge"),
        Hostile(text: "javascript:alert(1)", escaped: "javascript:alert(1)"),
        Hostile(text: "=HYPERLINK(\"x\")|[]", escaped: "=HYPERLINK(&quot;x&quot;)|[]"),
        Hostile(text: "Tab\there\r\nnext\u{1B}[31m", escaped: "Tab\there\r\nnext\u{FFFD}[31m"),
    ]

    /// Every text field of the statement set to `name`.
    private static func statement(_ name: String) -> StatementInput {
        let call = ExportCall(
            callID: 1, start: LocalDateTime(year: 2026, month: 4, day: 2, hour: 9, minute: 0), direction: name,
            externalNumber: name, externalE164: name, externalName: name, seconds: 60)
        var charges = [
            StatementFixture.charge(
                1, matter: (name, name), code: name, timekeeper: name, day: 2, scope: "client_day", raw: 120, billed: 360,
                hours: ExactDecimal(units: 1, scale: 1), rate: ExactDecimal(units: 30000, scale: 2),
                amount: ExactDecimal(units: 3000, scale: 2), currency: name, trace: name, calls: [call, call],
                clientID: name, clientName: name),
            StatementFixture.charge(
                2, .expense, code: name, timekeeper: name, day: 2, raw: 0, billed: 0, hours: ExactDecimal(units: 0, scale: 1),
                rate: nil, amount: ExactDecimal(units: 10, scale: 2), currency: name, trace: name, calls: [call],
                clientID: name, clientName: name),
        ]
        charges[0].site = name
        return StatementInput(
            firm: Firm(name: name, address: [name, name], lawFirmID: name), clientID: name, clientName: name,
            month: LocalDate(year: 2026, month: 4, day: 1), closedOn: nil, charges: charges, paper: .letter)
    }

    /// Every text of the report set to `name`.
    private static func report(_ name: String) -> BillingReport {
        let line = BillingReport.Line(
            key: name, label: name, currency: name, charges: 1, calls: 1, rawSeconds: 60,
            billedHours: ExactDecimal(units: 1, scale: 1), fees: ExactDecimal(units: 3000, scale: 2),
            expenses: ExactDecimal(units: 0, scale: 2))
        var day = line
        day.key = "2026-04-02"
        day.label = "2026-04-02"
        return BillingReport(
            firm: Firm(name: name, address: [name], lawFirmID: name), from: LocalDate(year: 2026, month: 4, day: 1),
            to: LocalDate(year: 2026, month: 4, day: 3), clients: [line], matters: [line], timekeepers: [line], days: [day],
            reviewQueueCalls: 0, reviewQueueSeconds: 0, unratedLegs: 0, unratedSeconds: 0)
    }

    @Test(arguments: Self.names)
    func statementShowsNamesAsText(_ hostile: Hostile) {
        Self.check(hostile) { String(decoding: StatementPage.html(Self.statement($0)), as: UTF8.self) }
    }

    @Test(arguments: Self.names)
    func reportShowsNamesAsText(_ hostile: Hostile) {
        Self.check(hostile) { String(decoding: ReportPage.html(Self.report($0), paper: .a4), as: UTF8.self) }
    }

    private static func check(
        _ hostile: Hostile, sourceLocation: SourceLocation = #_sourceLocation, page: (String) -> String
    ) {
        let html = page(hostile.text)
        let lower = html.lowercased()
        #expect(!lower.contains("<script"), sourceLocation: sourceLocation)
        #expect(!lower.contains("<img"), sourceLocation: sourceLocation)
        #expect(!lower.contains("href="), sourceLocation: sourceLocation)
        #expect(!lower.contains("src=\""), sourceLocation: sourceLocation)
        #expect(!html.contains("\u{1B}"), sourceLocation: sourceLocation)
        if !hostile.escaped.contains(hostile.text) {
            #expect(!html.contains(hostile.text), sourceLocation: sourceLocation)
        }
        #expect(html.contains(hostile.escaped), sourceLocation: sourceLocation)
        // The markup is the page's own: as many `<`, `>`, `"` and `'` as with a harmless name, so
        // no name opened an element or closed an attribute.
        let plain = page("x")
        for mark: Character in ["<", ">", "\"", "'"] {
            #expect(html.count { $0 == mark } == plain.count { $0 == mark }, "\(mark)", sourceLocation: sourceLocation)
        }
    }
}
