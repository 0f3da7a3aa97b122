import SMDRCore
import SMDRPostgres
import SMDRReports

/// The markup of `/statements`: the filter, the table of client × month with each statement's
/// state and links, and the pager. Every value is escaped by ``HTML``; every link is built by
/// ``WebLink``.
enum StatementListPage {

    static func body(entries: [StatementListStore.Entry], client: String, isFirstPage: Bool, next: StatementListStore.Position?) -> HTML {
        var rows = HTML()
        for entry in entries {
            let month = entry.month.yearMonthText
            let state: HTML =
                if let closedOn = entry.closedOn {
                    "<td class=\"state closed\">closed on \(closedOn)</td>"
                } else {
                    "<td class=\"state open\">open (draft)</td>"
                }
            var amounts = HTML()
            for (index, amount) in entry.amounts.enumerated() {
                amounts += index == 0 ? "\(amount.currency) \(amount.amount)" : "<br>\(amount.currency) \(amount.amount)"
            }
            let name: HTML = entry.clientName.map { HTML(text: $0) } ?? "<span class=\"muted\">(not registered)</span>"
            rows += """
                <tr data-client="\(entry.clientID)" data-month="\(month)">\
                <td>\(month)</td>\
                <td><a href="\(WebLink.path(["statements"], query: [("client", entry.clientID)]))">\(entry.clientID)</a></td>\
                <td>\(name)</td>\
                <td class="num">\(entry.calls)</td>\
                <td class="num">\(amounts)</td>\
                \(state)\
                <td><a class="statement-html" href="\(WebLink.path(["statements", entry.clientID, month]))">View</a> \
                <a class="statement-pdf" href="\(WebLink.path(["statements", entry.clientID, month + ".pdf"]))">PDF</a></td>\
                </tr>

                """
        }
        let table: HTML
        if !entries.isEmpty {
            table = """
                <table class="statements" id="statements">
                <thead><tr><th>Month</th><th>Client</th><th>Name</th><th class="num">Calls</th><th class="num">Amount</th><th>State</th><th>Statement</th></tr></thead>
                <tbody>
                \(rows)</tbody>
                </table>

                """
        } else if client.isEmpty {
            table = "<p class=\"empty\">No statements yet: a client's month appears here once its calls are rated (smdr rate, or serve's rater).</p>\n"
        } else if isFirstPage {
            table = "<p class=\"empty\">No statements for client \(client).</p>\n"
        } else {
            table = "<p class=\"empty\">No older statements for client \(client).</p>\n"
        }
        var pager = HTML()
        if !isFirstPage {
            pager += "<a class=\"newest\" href=\"\(WebLink.path(["statements"], query: [("client", client)]))\">Newest</a>"
        }
        if let next {
            let link = WebLink.path(
                ["statements"], query: [("client", client), ("after_month", next.month.yearMonthText), ("after_client", next.clientID)]
            )
            pager += " <a class=\"older\" rel=\"next\" href=\"\(link)\">Older</a>"
        }
        let clearFilter: HTML = client.isEmpty ? HTML() : " <a href=\"/statements\">All clients</a>"
        return """
            <h1>Statements</h1>
            <p class="muted">Each client's statement per month, the same page as <code>smdr statement</code>. A closed month's (smdr period close) is final; an open month's is a draft.</p>
            <form class="filters" method="get" action="/statements">
            <label>Client <input name="client" value="\(client)" autocomplete="off"></label>
            <button type="submit">Show</button>\(clearFilter)
            </form>
            \(table)<nav class="pager">\(pager)</nav>

            """
    }
}
