import SMDRPostgres
import SMDRReports

/// The review queue's page: filters, the page of waiting calls (for billing each with its
/// suggestions as one-click buttons, a code field with autocomplete, and a checkbox for the bulk
/// form), the pager, and the latest manual assignments. Without script every control works:
/// the buttons and forms post; the script only adds "select all".
struct QueuePage {
    var session: WebSession
    var query: QueueQuery
    var calls: [QueueStore.Call]
    var hasNext: Bool
    var codes: [QueueStore.CodeOption]
    var codesTruncated: Bool
    var recent: [QueueStore.Assignment]
    /// Why the last change was refused, shown above the list.
    var problems: [String]

    var body: HTML {
        let mayAssign = self.session.may(.billing)
        let action = WebLink.path(["queue", "assign"], query: self.query.pairs + (self.query.page > 1 ? [("page", String(self.query.page))] : []))
        var html: HTML = """
            <h1>Review queue</h1>
            <p class="muted">Calls with billable time no rule could give a client, newest first. Give each a code: \
            a suggestion (the codes its number and its timekeepers bill most), or any registered code.</p>

            """
        html += WebPage.problems(self.problems + self.query.problems)
        html += """
            <form class="filters" method="get" action="/queue">
            <label>Site <input name="site" value="\(self.query.site)"></label>
            <label>Timekeeper <input name="timekeeper" value="\(self.query.timekeeper)"></label>
            <label>From <input type="date" name="from" value="\(self.query.from)"></label>
            <label>To <input type="date" name="to" value="\(self.query.to)"></label>
            <button type="submit">Filter</button> <a href="/queue">Clear</a>
            </form>

            """
        if mayAssign {
            html += """
                <form id="bulk" class="bulk" method="post" action="\(action)">\(WebPage.csrfField(self.session))
                <label>Code for the selected calls <input name="code" list="codes" required autocomplete="off"></label>
                <label>Note <input name="note"></label>
                <button type="submit" class="assign-selected">Assign to selected</button>
                </form>

                """
        }
        if self.calls.isEmpty {
            html += "<p class=\"empty\">No call waits for a code\(self.query.filter == QueueStore.Filter() ? "" : " with these filters").</p>\n"
        } else {
            let selectHeader: HTML = mayAssign
                ? "<th><input type=\"checkbox\" class=\"select-all\" aria-label=\"Select all calls\" hidden></th>" : HTML()
            let assignHeader: HTML = mayAssign ? "<th>Assign a code</th>" : HTML()
            html += """
                <table class="queue">
                <thead><tr>\(selectHeader)<th>Start</th><th>Site</th><th>Who talked</th><th>Number</th><th class="num">Minutes</th><th>Entered code</th><th>Reason</th>\(assignHeader)</tr></thead>
                <tbody>

                """
            for call in self.calls {
                html += self.row(call, action: action, mayAssign: mayAssign)
            }
            html += "</tbody>\n</table>\n"
        }
        html += WebPaging.links(["queue"], query: self.query.pairs, page: self.query.page, hasNext: self.hasNext)
        if mayAssign {
            var options = HTML()
            for code in self.codes {
                options += "<option value=\"\(code.code)\">\(Self.label(client: code.clientName, matter: code.matterName))</option>"
            }
            html += "<datalist id=\"codes\">\(options)</datalist>\n"
            if self.codesTruncated {
                html += "<p class=\"muted\">The code list offers the first \(self.codes.count) codes; any registered code can be typed.</p>\n"
            }
        }
        html += self.recentTable
        return html
    }

    /// One call: its figures, and for billing its checkbox and its own assign form.
    private func row(_ call: QueueStore.Call, action: String, mayAssign: Bool) -> HTML {
        let key = call.site + "|" + String(call.callID) + "|" + call.start
        let who: HTML =
            call.timekeeperIDs.isEmpty
            ? "\(call.userNames)" : "\(call.userNames) <span class=\"muted\">(\(call.timekeeperIDs.joined(separator: ", ")))</span>"
        let name: HTML = call.externalName.map { "<br><span class=\"caller\">\($0)</span>" } ?? HTML()
        let reasonClass: HTML = call.reason == "unverified" ? "reason unverified" : "reason"
        var cells: HTML = mayAssign
            ? "<td><input type=\"checkbox\" name=\"call\" value=\"\(key)\" form=\"bulk\" aria-label=\"Select call \(call.callID)\"></td>" : HTML()
        cells += """
            <td>\(call.start)</td><td>\(call.site)</td><td>\(who)</td><td>\(call.externalNumber)\(name)</td>\
            <td class="num">\(Figures.minutes(seconds: call.connectedSeconds))</td><td>\(call.enteredCode)</td>\
            <td class="\(reasonClass)">\(call.reason)</td>
            """
        if mayAssign {
            // The typed code's button comes first: Enter in the field submits it. A suggestion
            // button sends its code after the field's, and the last code given wins.
            var suggestions = HTML()
            for suggestion in call.suggestions {
                suggestions += """
                    <button type="submit" class="suggestion" name="code" value="\(suggestion.code)">\(suggestion.code) – \(Self.label(client: suggestion.clientName, matter: suggestion.matterName))</button>
                    """
            }
            cells += """
                <td><form class="assign" method="post" action="\(action)">\(WebPage.csrfField(self.session))\
                <input type="hidden" name="site" value="\(call.site)"><input type="hidden" name="call_id" value="\(call.callID)">\
                <input type="hidden" name="start" value="\(call.start)">\
                <span class="typed"><input name="code" list="codes" aria-label="Code" placeholder="Code" autocomplete="off">\
                <input name="note" aria-label="Note" placeholder="Note (optional)">\
                <button type="submit" class="assign">Assign</button></span>\
                <span class="suggestions">\(suggestions)</span></form></td>
                """
        }
        return """
            <tr class="call" data-site="\(call.site)" data-call-id="\(call.callID)" data-start="\(call.start)">\(cells)</tr>

            """
    }

    /// "Recently assigned": when, which call, what code, the note and who.
    private var recentTable: HTML {
        var html: HTML = "<h2>Recently assigned</h2>\n"
        guard !self.recent.isEmpty else {
            html += "<p class=\"empty\">No code has been assigned by hand yet.</p>\n"
            return html
        }
        html += """
            <table class="recent">
            <thead><tr><th>When</th><th>Site</th><th>Call</th><th>Started</th><th>Code</th><th>Client</th><th>Note</th><th>Assigned by</th></tr></thead>
            <tbody>

            """
        for item in self.recent {
            html += """
                <tr><td>\(item.assignedAt)</td><td>\(item.site)</td><td>\(item.callID)</td><td>\(item.start)</td><td>\(item.code)</td>\
                <td>\(item.clientName)</td><td>\(item.note)</td><td>\(item.assignedBy)</td></tr>

                """
        }
        html += "</tbody>\n</table>\n"
        return html
    }

    /// `Client — Matter`, or the client alone.
    static func label(client: String, matter: String?) -> String {
        guard let matter, !matter.isEmpty else { return client }
        return client + " / " + matter
    }
}
