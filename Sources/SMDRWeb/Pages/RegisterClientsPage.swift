import SMDRPostgres
import SMDRRating
import SMDRReports

/// Clients and matters (taken from the codes file): each client with its matters, codes and
/// numbers (several per client; a blocked one with its reason, the note), and links to its
/// codes, numbers and statements.
///
/// Contract: `table#clients`, one `tr.client` per client with `data-client="ID"`; links
/// `a.client-codes`, `a.client-numbers`, `a.client-statements` (`/statements?client=ID`);
/// a blocked number is `li.blocked` with its note in `span.note`.
enum RegisterClientsPage {
    static func render(
        clients: [RegisterBrowseStore.Client], search: String, page: Int, hasMore: Bool, session: WebSession
    ) -> HTML {
        var rows = HTML()
        for client in clients {
            var matters = HTML()
            for matter in client.matters {
                matters += "<li><span class=\"id\">\(matter.matterID)</span> \(matter.name)</li>"
            }
            if client.moreMatters { matters += "<li class=\"muted\">…</li>" }
            var codes = HTML()
            for code in client.codes {
                let link = WebLink.path(["register", "codes", "edit"], query: [("code", code.code)])
                let matter: HTML = code.matterID.map { " <span class=\"muted\">(\($0))</span>" } ?? HTML()
                codes += code.active
                    ? "<li><a href=\"\(link)\">\(code.code)</a>\(matter)</li>"
                    : "<li class=\"inactive\"><a href=\"\(link)\">\(code.code)</a>\(matter) <span class=\"flag-inactive\">inactive</span></li>"
            }
            let codesLink = WebLink.path(["register", "codes"], query: [("client", client.clientID)])
            if client.moreCodes { codes += "<li><a href=\"\(codesLink)\">more…</a></li>" }
            var numbers = HTML()
            for number in client.numbers {
                let prefix: HTML = number.match == .prefix ? " <span class=\"muted\">(prefix)</span>" : HTML()
                numbers += number.blocked
                    ? "<li class=\"blocked\">\(number.number)\(prefix) <strong class=\"flag-blocked\">blocked</strong> <span class=\"note\">\(number.note)</span></li>"
                    : "<li>\(number.number)\(prefix)\(number.note.isEmpty ? HTML() : " — ")<span class=\"note\">\(number.note)</span></li>"
            }
            let numbersLink = WebLink.path(["register", "numbers"], query: [("client", client.clientID)])
            if client.moreNumbers { numbers += "<li><a href=\"\(numbersLink)\">more…</a></li>" }
            let statements = WebLink.path(["statements"], query: [("client", client.clientID)])
            let addCode: HTML =
                session.may(.billing)
                ? " · <a class=\"client-add-code\" href=\"\(WebLink.path(["register", "codes", "new"], query: [("client_id", client.clientID), ("client_name", client.name)]))\">add a code</a>"
                : HTML()
            rows += """
                <tr class="client" data-client="\(client.clientID)"><th scope="row"><span class="id">\(client.clientID)</span><br>\(client.name)</th>
                <td><ul class="plain">\(matters)</ul></td><td><ul class="plain">\(codes)</ul></td><td><ul class="plain">\(numbers)</ul></td>
                <td><a class="client-codes" href="\(codesLink)">codes</a> · <a class="client-numbers" href="\(numbersLink)">numbers</a> · <a class="client-statements" href="\(statements)">statements</a>\(addCode)</td></tr>

                """
        }
        if clients.isEmpty {
            rows = search.isEmpty
                ? "<tr><td colspan=\"5\" class=\"muted\">No clients yet: they come from the codes file.</td></tr>\n"
                : "<tr><td colspan=\"5\" class=\"muted\">No client matches.</td></tr>\n"
        }
        let pager = RegisterListPage.pager(segments: ["register", "clients"], query: [("q", search)], page: page, hasMore: hasMore)
        return """
            <p class="crumbs"><a href="/register">Register</a> › Clients and matters</p>
            <h1>Clients and matters</h1>
            <p class="muted">Clients and matters come from the codes file (client_id, client_name, matter_id, matter_name): to add or rename one, add or edit a code.</p>
            <form class="filters" id="register-search" method="get" action="/register/clients" role="search">
            <label>Search clients, matters and codes <input type="search" name="q" value="\(search)"></label>
            <button type="submit">Search</button>
            </form>
            <div class="table-scroll">
            <table id="clients" class="clients">
            <thead><tr><th scope="col">Client</th><th scope="col">Matters</th><th scope="col">Codes</th><th scope="col">Numbers</th><th scope="col">See</th></tr></thead>
            <tbody>
            \(rows)</tbody>
            </table>
            </div>
            \(pager)
            """
    }
}
