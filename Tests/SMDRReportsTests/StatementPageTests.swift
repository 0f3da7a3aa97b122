import SMDRCore
import SMDRReports
import Testing

/// The statement of ``StatementFixture``: every figure below was worked out by hand from the
/// fixture's charges (seconds → minutes to 0.1 half-up; amounts added exactly).
@Suite struct StatementPageTests {
    private static func page(_ input: StatementInput = StatementFixture.input()) -> String {
        String(decoding: StatementPage.html(input), as: UTF8.self)
    }

    @Test func itemisesEachMatterWithItsSubtotal() {
        let html = Self.page()
        // No matter: 420 s = 7.0 min billed 0.2 h; 20 s = 0.3 min not billed; 440 s = 7.3 min, 0.2 h, 60.00.
        #expect(
            PageText.rows(html, after: "<h3>No matter") == [
                [],
                ["2026-04-02", "09:15", "Ann Smith", "02079460001 Alice Example", "7.0", "0.2", "300.00/h", "60.00 GBP", "100"],
                ["2026-04-03", "10:00", "Ann Smith", "withheld", "0.3", "0.0", "not billed", "0.00 GBP", "100"],
                ["Subtotal No matter", "7.3", "0.2", "", "60.00 GBP", ""],
            ])
        // Smith v Jones: the client_day charge on one line (480 s = 8.0 min) with its three calls
        // under it (180 s = 3.0, 200 s = 3.3, 100 s = 1.7); codes 201 (0.2 h, 50.00) and 202
        // (0.3 h, 90.00) subtotalled; the matter 1480 s = 24.7 min, 0.5 h, 140.00 (fees only).
        #expect(
            PageText.rows(html, after: "<h3>Smith v Jones") == [
                [],
                ["2026-04-06", "09:00", "Bob Brown", "3 calls", "8.0", "0.2", "250.00/h", "50.00 GBP", "201"],
                ["", "09:00", "", "+441632960001 Carol", "3.0", "", "", "", ""],
                ["", "11:30", "", "+441632960002 Dan", "3.3", "", "", "", ""],
                ["", "16:45", "", "+441632960003 Erin", "1.7", "", "", "", ""],
                ["2026-04-07", "14:05", "Ann Smith", "+33142000000 Frank", "16.7", "0.3", "300.00/h", "90.00 GBP", "202"],
                ["Code 201", "8.0", "0.2", "", "50.00 GBP", ""],
                ["Code 202", "16.7", "0.3", "", "90.00 GBP", ""],
                ["Subtotal Smith v Jones", "24.7", "0.5", "", "140.00 GBP", ""],
            ])
        #expect(
            PageText.rows(html, after: "<h3>Estate of X") == [
                [],
                ["2026-04-08", "08:30", "Cat Jones", "+4930123456 Greta", "50.0", "0.9", "200.00/h", "180.00 EUR", "301"],
                ["Subtotal Estate of X", "50.0", "0.9", "", "180.00 EUR", ""],
            ])
    }

    @Test func listsExpensesApartAndTotalsEachCurrency() {
        let html = Self.page()
        #expect(
            PageText.rows(html, after: "<h2>Expenses") == [
                [],
                ["2026-04-07", "14:05", "Ann Smith", "+33142000000 Frank", "Smith v Jones", "202", "1.45 GBP"],
                ["2026-04-08", "08:30", "Cat Jones", "+4930123456 Greta", "Estate of X", "301", "0.62 EUR"],
                ["Subtotal expenses", "0.62 EUR"],
                ["Subtotal expenses", "1.45 GBP"],
            ])
        // GBP: fees 60.00 + 0.00 + 50.00 + 90.00 = 200.00 over 0.2 + 0.0 + 0.2 + 0.3 = 0.7 h, + 1.45.
        // EUR: 180.00 over 0.9 h, + 0.62. Never one total of both.
        #expect(
            PageText.rows(html, after: "<h2>Total<") == [
                [],
                ["EUR", "0.9", "180.00 EUR", "0.62 EUR", "180.62 EUR"],
                ["GBP", "0.7", "200.00 GBP", "1.45 GBP", "201.45 GBP"],
            ])
    }

    @Test func summarisesEachBillingCode() {
        // GBP calls 1 + 1 + 3 + 1 = 6 over 420 + 20 + 480 + 1000 = 1920 s = 32.0 min.
        #expect(
            PageText.rows(Self.page(), after: "<h2>Billing Code Summary") == [
                [],
                ["100", "No matter", "2", "7.3", "0.2", "60.00 GBP", "0.00 GBP", "60.00 GBP"],
                ["201", "Smith v Jones", "3", "8.0", "0.2", "50.00 GBP", "0.00 GBP", "50.00 GBP"],
                ["202", "Smith v Jones", "1", "16.7", "0.3", "90.00 GBP", "1.45 GBP", "91.45 GBP"],
                ["301", "Estate of X", "1", "50.0", "0.9", "180.00 EUR", "0.62 EUR", "180.62 EUR"],
                ["Total", "1", "50.0", "0.9", "180.00 EUR", "0.62 EUR", "180.62 EUR"],
                ["Total", "6", "32.0", "0.7", "200.00 GBP", "1.45 GBP", "201.45 GBP"],
            ])
    }

    @Test func headerNamesFirmClientPeriodAndReference() {
        let html = Self.page()
        #expect(html.contains("<div class=\"firm-name\">Smith &amp; Jones LLP</div>"))
        #expect(html.contains("<div>London EC1A 1AA</div>"))
        #expect(
            PageText.rows(html, after: "<table class=\"facts\">") == [
                ["Acme Ltd ACME"], ["2026-04-01 – 2026-04-30"], ["ACME-2026-04"], ["Draft"],
            ])
        #expect(html.contains("<title>Statement ACME-2026-04 — Acme Ltd</title>"))
    }

    @Test func theTraceIsTheRowTitle() {
        #expect(Self.page().contains("<tr title=\"420 s talk + 0 s hold; up to 360 s → 720 s = 0.2 h × 300.00 = 60.00\">"))
    }

    @Test func draftOnlyWhileTheMonthIsOpen() {
        let open = Self.page(StatementFixture.input(closedOn: nil))
        #expect(open.contains("DRAFT — the month is open; amounts may change"))
        let closed = Self.page(StatementFixture.input(closedOn: LocalDate(year: 2026, month: 5, day: 3)))
        #expect(!closed.contains("DRAFT"))
        #expect(!closed.contains("Draft"))
        #expect(closed.contains("Closed on 2026-05-03"))
    }

    @Test func sameInputSameBytes() {
        let closedOn = LocalDate(year: 2026, month: 5, day: 3)
        let first = StatementPage.html(StatementFixture.input(closedOn: closedOn))
        let second = StatementPage.html(StatementFixture.input(closedOn: closedOn))
        #expect(first == second)
        #expect(!first.isEmpty)
    }

    @Test(arguments: [(Paper.a4, "size: A4;"), (Paper.letter, "size: letter;")])
    func pageSizeFollowsThePaper(_ paper: Paper, _ rule: String) {
        let html = Self.page(StatementFixture.input(paper: paper))
        #expect(html.contains("@page { \(rule)"))
        #expect(html.contains("thead { display: table-header-group; }"))
        #expect(html.contains("break-inside: avoid"))
    }

    @Test func noChargesSaysSo() {
        let html = Self.page(StatementFixture.input(charges: []))
        #expect(html.contains("No charges this month."))
        #expect(!html.contains("Billing Code Summary"))
    }

    @Test func loadsAndRunsNothing() {
        for html in [Self.page(), String(decoding: ReportPage.html(ReportFixture.report, paper: .a4), as: UTF8.self)] {
            let lower = html.lowercased()
            #expect(!lower.contains("<script"))
            #expect(!lower.contains("src="))
            #expect(!lower.contains("url("))
            #expect(!lower.contains("@import"))
            #expect(!lower.contains("<link"))
            #expect(!lower.contains("<img"))
            #expect(!lower.contains("javascript:"))
            #expect(!lower.contains(#/\son[a-z]+\s*=/#), "no event handler attribute (onload=, onerror=…)")
            #expect(lower.split(separator: "href=").dropFirst().allSatisfy { $0.hasPrefix("\"#") })
            #expect(lower.contains("content-security-policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\""))
        }
    }
}
