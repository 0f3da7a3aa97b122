import SMDRCore
import SMDRPostgres
import SMDRReports

/// The calls page: AT Conference's usage report (date, time, who talked, number, caller name,
/// duration, code, client, matter, billed hours, amount) searched by the filters, with why each
/// call bills its client (the match rule) and how each charge's amount was derived (its trace).
struct CallsPage {
    var query: CallsQuery
    var calls: [CallsStore.Call]
    var hasNext: Bool

    var body: HTML {
        var html: HTML = """
            <h1>Calls</h1>

            """
        html += WebPage.problems(self.query.problems)
        html += """
            <form class="filters" method="get" action="/calls">
            <label>From <input type="date" name="from" value="\(self.query.from)" required></label>
            <label>To <input type="date" name="to" value="\(self.query.to)" required></label>
            <label>Client <input name="client" value="\(self.query.client)"></label>
            <label>Timekeeper <input name="timekeeper" value="\(self.query.timekeeper)"></label>
            <label>Code <input name="code" value="\(self.query.code)"></label>
            <label>Number contains <input name="number" value="\(self.query.number)" inputmode="tel"></label>
            <label>Caller name contains <input type="search" name="q" value="\(self.query.text)"></label>
            <button type="submit">Search</button> <a href="/calls">This month</a>
            </form>

            """
        guard !self.calls.isEmpty else {
            html += "<p class=\"empty\">No call with billable time matches.</p>\n"
            html += WebPaging.links(["calls"], query: self.query.pairs, page: self.query.page, hasNext: false)
            return html
        }
        html += """
            <table class="calls">
            <thead><tr><th>Date</th><th>Time</th><th>Site</th><th>Who talked</th><th>Number</th><th>Caller name</th><th class="num">Duration</th>\
            <th>Code</th><th>Client</th><th>Matter</th><th class="num">Billed hours</th><th class="num">Amount</th><th>Rule</th><th>How it was billed</th></tr></thead>
            <tbody>

            """
        for call in self.calls {
            html += Self.row(call)
        }
        html += "</tbody>\n</table>\n"
        html += WebPaging.links(["calls"], query: self.query.pairs, page: self.query.page, hasNext: self.hasNext)
        return html
    }

    private static func row(_ call: CallsStore.Call) -> HTML {
        let date = String(call.start.prefix(10))
        let time = String(call.start.dropFirst(11))
        let who: HTML = call.timekeeperNames.isEmpty ? "\(call.users)" : "\(call.timekeeperNames)<br><span class=\"muted\">\(call.users)</span>"
        let direction: HTML = call.direction == "I" ? "<span class=\"direction\" title=\"Inbound\">in</span> " : "<span class=\"direction\" title=\"Outbound\">out</span> "
        var flags = HTML()
        if call.unverified { flags += " <span class=\"flag unverified\">unverified</span>" }
        if call.blocked { flags += " <span class=\"flag blocked\">blocked number</span>" }
        let hours: HTML = call.billedHours.map { "\($0)" } ?? HTML()
        let amount: HTML = call.amount.map { amount in "\(amount) \(call.currency ?? "")" } ?? HTML()
        var charges = HTML()
        for charge in call.charges {
            let shared: HTML = charge.calls > 1 ? " <span class=\"muted\">(shared by \(charge.calls) calls; not in this row's amount)</span>" : HTML()
            charges += """
                <li class="charge" data-charge-id="\(charge.chargeID)"><span class="scope">\(charge.kind), \(charge.scope), rule \(charge.rule)</span>\(shared): \
                <span class="trace">\(charge.trace)</span></li>
                """
        }
        let trace: HTML = charges.bytes.isEmpty ? "<span class=\"muted\">not charged</span>" : "<ul class=\"charges\">\(charges)</ul>"
        return """
            <tr class="call" data-site="\(call.site)" data-call-id="\(call.callID)" data-start="\(call.start)">\
            <td>\(date)</td><td>\(time)</td><td>\(call.site)</td><td>\(who)</td><td>\(direction)\(call.externalNumber)</td>\
            <td class="caller">\(call.externalName ?? "")</td><td class="num">\(CallFigures.duration(seconds: call.talkSeconds))</td>\
            <td>\(call.code ?? "")\(flags)</td><td>\(call.clientName ?? "")</td><td>\(call.matterName ?? "")</td>\
            <td class="num">\(hours)</td><td class="num">\(amount)</td><td class="rule">\(call.matchRule)</td><td>\(trace)</td></tr>

            """
    }
}
