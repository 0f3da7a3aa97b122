import SMDRCore
import SMDRRating

/// One client's statement for one month as a self-contained HTML page (no external assets, print
/// CSS for A4 and Letter), the page `smdr statement` writes and Chromium prints to PDF.
///
/// Laid out after the AT Conference invoice and the AccuConference monthly bill: the firm and
/// the client, then each call itemised per matter with a subtotal per matter, the expenses
/// apart, the totals per currency, and the Billing Code Summary. Every value is escaped (the
/// page is built from ``HTML``); amounts are exact sums of the rows.
package enum StatementPage {
    /// The page, UTF-8. The same input gives the same bytes (a closed month's statement is
    /// reproducible byte for byte): nothing here reads a clock.
    package static func html(_ input: StatementInput) -> [UInt8] {
        let fees = input.charges.filter { $0.kind == .fee }
        let expenses = input.charges.filter { $0.kind == .expense }
        var body = Self.header(input)
        if input.charges.isEmpty {
            body += "<p>No charges this month.</p>\n"
        }
        if !fees.isEmpty {
            body += "<h2>Calls by matter</h2>\n"
            for group in MatterGroup.groups(fees) {
                body += Self.matterSection(group)
            }
        }
        if !expenses.isEmpty {
            body += Self.expenseSection(expenses)
        }
        body += Self.totalsSection(input.charges)
        if !input.charges.isEmpty {
            body += Self.codeSummarySection(input.charges)
        }
        return HTMLPage.document(
            title: "Statement \(Self.reference(input)) — \(input.clientName)", paper: input.paper, body: body)
    }

    /// The statement's reference: the client's id and the month (`ACME-2026-04`), the same for
    /// every printing of the month's statement.
    static func reference(_ input: StatementInput) -> String {
        let month = input.month.description.prefix(7)
        return "\(input.clientID)-\(month)"
    }

    /// The firm, the client, the period, the reference and whether the month is closed.
    private static func header(_ input: StatementInput) -> HTML {
        var firm: HTML = "<div class=\"firm-name\">\(input.firm.name)</div>\n"
        for line in input.firm.address {
            firm += "<div>\(line)</div>\n"
        }
        let status: HTML
        if let closedOn = input.closedOn {
            status = "<span class=\"status\">Closed on \(closedOn)</span>"
        } else {
            status = "<span class=\"status\">Draft</span>"
        }
        var header: HTML = """
            <header class="masthead">
            <div class="firm">
            \(firm)</div>
            <div class="statement">
            <h1>Statement</h1>
            <table class="facts">
            <tr><th>Client</th><td>\(input.clientName)<br><span class="muted">\(input.clientID)</span></td></tr>
            <tr><th>Period</th><td>\(input.month.firstOfMonth) – \(input.month.lastOfMonth)</td></tr>
            <tr><th>Reference</th><td>\(Self.reference(input))</td></tr>
            <tr><th>Status</th><td>\(status)</td></tr>
            </table>
            </div>
            </header>

            """
        if input.closedOn == nil {
            header += "<p class=\"banner\">DRAFT — the month is open; amounts may change</p>\n"
        }
        return header
    }
}
