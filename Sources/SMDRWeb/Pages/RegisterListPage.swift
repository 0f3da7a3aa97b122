import SMDRPipeline
import SMDRPostgres
import SMDRReports

/// The register's overview and the list of one kind's rows. Every value is text from the
/// register (a client's name comes from outside), so it is only ever interpolated into
/// ``HTML`` (escaped) and every link is built by ``WebLink``.
///
/// Contract (tests and the browser tests use it): the list is `table#register-rows` with one
/// `tr` per row (`tr.inactive` for an inactive code, `tr.blocked` for a blocked number), a cell
/// per CSV column (`td` with `data-column="NAME"`), an Edit link `a.edit` and a form
/// `form.remove` (billing+); `a#add-row`, `a#export-csv`, `a#import-csv`; the search form
/// `form#register-search` with `q`.
enum RegisterListPage {
    /// The list's heading.
    static func title(_ kind: RegisterKind) -> String {
        switch kind {
        case .codes: "Account codes"
        case .numbers: "Client numbers"
        case .defaults: "Default codes"
        case .timekeepers: "Timekeepers"
        case .plans: "Rate plans"
        case .rates: "Rate assignments"
        }
    }

    /// What a kind holds, in a line.
    static func summary(_ kind: RegisterKind) -> String {
        switch kind {
        case .codes: "Billing codes and patterns, with the client and matter each bills (clients and matters come from here)."
        case .numbers: "Client telephone numbers and ranges; a blocked number keeps its reason in the note."
        case .defaults: "Default codes for a site's extension, user or dialled-in number."
        case .timekeepers: "The people whose telephone time is billed, by site user name or extension."
        case .plans: "How time is billed: hourly rate, increment, minimum, grace, rounding, scope."
        case .rates: "Which plan bills which client, matter, timekeeper or site, from when."
        }
    }

    // MARK: - overview

    static func overview(
        counts: RegisterBrowseStore.Counts, search: String, matches: RegisterBrowseStore.Counts?, session: WebSession
    ) -> HTML {
        var rows = HTML()
        let clientsLink = WebLink.path(["register", "clients"], query: [("q", search)])
        let clientsMatch: HTML = matches.map { "<td class=\"num\"><a href=\"\(clientsLink)\">\($0.clients)</a></td>" } ?? HTML()
        rows += """
            <tr><th scope="row"><a href="\(clientsLink)">Clients and matters</a></th><td class="num">\(Self.plural(counts.clients, "client")), \(Self.plural(counts.matters, "matter"))</td>\(clientsMatch)<td>Clients with their matters, codes, numbers and statements.</td></tr>

            """
        for kind in RegisterKind.allCases {
            let link = WebLink.path(["register", kind.rawValue], query: [("q", search)])
            var detail = HTML()
            if kind == .codes, counts.inactiveCodes > 0 { detail = " <span class=\"muted\">(\(counts.inactiveCodes) inactive)</span>" }
            if kind == .numbers, counts.blockedNumbers > 0 { detail = " <span class=\"muted\">(\(counts.blockedNumbers) blocked)</span>" }
            let match: HTML = matches.map { "<td class=\"num\"><a href=\"\(link)\">\($0.rows[kind] ?? 0)</a></td>" } ?? HTML()
            rows += """
                <tr><th scope="row"><a href="\(link)">\(Self.title(kind))</a></th><td class="num">\(counts.rows[kind] ?? 0)\(detail)</td>\(match)<td>\(Self.summary(kind))</td></tr>

                """
        }
        let matchHeader: HTML = matches == nil ? HTML() : "<th class=\"num\">Matching “\(search)”</th>"
        let importLink: HTML = session.may(.billing) ? " <a class=\"button secondary\" id=\"import-csv\" href=\"/register/import\">Import CSV…</a>" : HTML()
        return """
            <h1>Register</h1>
            <form class="filters" id="register-search" method="get" action="/register" role="search">
            <label>Search the register <input type="search" name="q" value="\(search)"></label>
            <button type="submit">Search</button>\(importLink)
            </form>
            <table class="register-overview">
            <thead><tr><th>Part</th><th class="num">Rows</th>\(matchHeader)<th>What it holds</th></tr></thead>
            <tbody>
            \(rows)</tbody>
            </table>

            """
    }

    /// `1 client`, `2 clients`.
    static func plural(_ count: Int, _ noun: String) -> String { count == 1 ? "1 \(noun)" : "\(count) \(noun)s" }

    // MARK: - list

    static func list(
        kind: RegisterKind, records: [[String]], search: String, client: String?, page: Int, hasMore: Bool, session: WebSession
    ) -> HTML {
        let mayChange = session.may(.billing)
        var header = HTML()
        for column in kind.columns { header += "<th scope=\"col\">\(column)</th>" }
        if mayChange { header += "<th scope=\"col\"><span class=\"visually-hidden\">Actions</span></th>" }
        var body = HTML()
        for record in records {
            let values = Dictionary(uniqueKeysWithValues: zip(kind.columns, record))
            let key = kind.keyColumns.map { values[$0] ?? "" }
            var classes: [String] = []
            if kind == .codes, values["active"] == "false" { classes.append("inactive") }
            if kind == .numbers, values["blocked"] == "true" { classes.append("blocked") }
            var cells = HTML()
            for (column, value) in zip(kind.columns, record) {
                cells += "<td data-column=\"\(column)\">\(Self.cell(kind, column, value))</td>"
            }
            if mayChange { cells += "<td class=\"actions\">\(Self.actions(kind, key: key, values: values, session: session))</td>" }
            if classes.isEmpty {
                body += "<tr>\(cells)</tr>\n"
            } else {
                body += "<tr class=\"\(classes.joined(separator: " "))\">\(cells)</tr>\n"
            }
        }
        if records.isEmpty {
            let span = kind.columns.count + (mayChange ? 1 : 0)
            let message: String = search.isEmpty && client == nil ? "Nothing registered yet." : "Nothing matches."
            body = "<tr><td colspan=\"\(span)\" class=\"muted\">\(message)</td></tr>\n"
        }
        let noun = RegisterImport.noun(kind)
        var tools = HTML()
        if mayChange {
            tools += "<a class=\"button\" id=\"add-row\" href=\"\(WebLink.path(["register", kind.rawValue, "new"], query: [("client_id", kind == .codes ? client ?? "" : "")]))\">Add a \(noun)</a> "
            tools += "<a class=\"button secondary\" id=\"import-csv\" href=\"\(WebLink.path(["register", "import"], query: [("kind", kind.rawValue)]))\">Import CSV…</a> "
        }
        tools += "<a class=\"button secondary\" id=\"export-csv\" href=\"\(WebLink.path(["register", kind.rawValue + ".csv"]))\" download>Export CSV</a>"
        let clientHidden: HTML = client.map { "<input type=\"hidden\" name=\"client\" value=\"\($0)\">" } ?? HTML()
        let clientNote: HTML =
            client.map {
                "<p class=\"muted\">Only client <strong>\($0)</strong>’s. <a href=\"\(WebLink.path(["register", kind.rawValue], query: [("q", search)]))\">Show every client’s</a></p>\n"
            } ?? HTML()
        let pager = Self.pager(kind: kind, search: search, client: client, page: page, hasMore: hasMore)
        return """
            <p class="crumbs"><a href="/register">Register</a> › \(Self.title(kind))</p>
            <h1>\(Self.title(kind))</h1>
            <p class="muted">\(Self.summary(kind))</p>
            \(clientNote)<form class="filters" id="register-search" method="get" action="\(WebLink.path(["register", kind.rawValue]))" role="search">
            \(clientHidden)<label>Search <input type="search" name="q" value="\(search)"></label>
            <button type="submit">Search</button>
            </form>
            <p class="tools">\(tools)</p>
            <div class="table-scroll">
            <table id="register-rows" class="register-rows">
            <thead><tr>\(header)</tr></thead>
            <tbody>
            \(body)</tbody>
            </table>
            </div>
            \(pager)
            """
    }

    /// A cell: the value as export writes it; codes link to their client's page, a blocked
    /// number says so.
    private static func cell(_ kind: RegisterKind, _ column: String, _ value: String) -> HTML {
        switch (kind, column) {
        case (.codes, "client_id"), (.rates, "client_id"):
            guard !value.isEmpty else { return HTML() }
            return "<a href=\"\(WebLink.path(["register", "clients"], query: [("q", value)]))\">\(value)</a>"
        case (.numbers, "blocked"):
            return value == "true" ? "<strong class=\"flag-blocked\">blocked</strong>" : "\(value)"
        case (.codes, "active"):
            return value == "false" ? "<strong class=\"flag-inactive\">inactive</strong>" : "\(value)"
        default:
            return "\(value)"
        }
    }

    /// Edit, and Deactivate (a code still active) or Remove (any other row).
    private static func actions(_ kind: RegisterKind, key: [String], values: [String: String], session: WebSession) -> HTML {
        let query = zip(kind.keyColumns, key).map { ($0, $1) }
        var html: HTML = "<a class=\"edit\" href=\"\(WebLink.path(["register", kind.rawValue, "edit"], query: query))\">Edit</a>"
        if kind == .codes, values["active"] == "false" { return html }
        var hidden = HTML()
        for (column, value) in query { hidden += "<input type=\"hidden\" name=\"\(column)\" value=\"\(value)\">" }
        let described = RegisterRoutes.describe(kind, key)
        let label: HTML = kind == .codes ? "Deactivate" : "Remove"
        let confirm: String =
            kind == .codes
            ? "Deactivate code \(described)? It stays in the history but bills no new calls."
            : "Remove \(RegisterImport.noun(kind)) \(described) from the register?"
        html += """
             <form class="inline remove" method="post" action="\(WebLink.path(["register", kind.rawValue, "remove"]))" data-confirm="\(confirm)">\(WebPage.csrfField(session))\(hidden)<button type="submit" class="danger">\(label)</button></form>
            """
        return html
    }

    /// Previous / next links (page numbers in the query, the search and client kept).
    static func pager(kind: RegisterKind, search: String, client: String?, page: Int, hasMore: Bool) -> HTML {
        Self.pager(segments: ["register", kind.rawValue], query: [("q", search), ("client", client ?? "")], page: page, hasMore: hasMore)
    }

    /// ``WebPaging``'s links, as deep as the register's lists go.
    static func pager(segments: [String], query: [(String, String)], page: Int, hasMore: Bool) -> HTML {
        WebPaging.links(
            segments, query: query, page: page, hasNext: hasMore, maximum: RegisterRoutes.maximumPage, previous: "‹ Previous", next: "Next ›"
        )
    }

    /// A removal the register refused (a plan a rate still uses): the CLI's problems.
    static func refusal(kind: RegisterKind, title: String, problems: [RegisterProblem]) -> HTML {
        """
        <p class="crumbs"><a href="/register">Register</a> › <a href="\(WebLink.path(["register", kind.rawValue]))">\(Self.title(kind))</a></p>
        <h1>\(title)</h1>
        \(RegisterFormPage.problemList(problems, withLines: false))<p>Nothing was changed. <a href="\(WebLink.path(["register", kind.rawValue]))">Back to \(Self.title(kind).lowercased())</a></p>

        """
    }
}
