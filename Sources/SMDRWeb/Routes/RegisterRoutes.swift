import HTTPTypes
import Hummingbird
import SMDRPipeline
import SMDRPostgres
import SMDRReports

/// `/register…`: the billing register (DESIGN §6) — clients and matters, codes, numbers,
/// defaults, timekeepers, plans and rates: list, search, add, edit, deactivate or remove, CSV
/// import with a preview and export. It adds no logic of its own: every change is an import
/// through `RegisterCSV.parse` → `RegisterStore.apply` (an edit form is a one-row file of its
/// kind), so every check and message is the CLI's.
///
/// Viewers read every list; the forms and every change need `billing`.
enum RegisterRoutes {
    /// The highest page number a list accepts: pages are `OFFSET`s, and this bounds the rows
    /// PostgreSQL walks past (with the default page size, 500,000; the register holds thousands).
    static let maximumPage = 10_000
    /// Matters, codes and numbers shown per client on the clients page; the lists link to the rest.
    static let clientListLimit = 20

    static func register(on router: Router<WebRequestContext>, environment: WebEnvironment) {
        router.get("/register") { request, context in
            try await Self.overview(request: request, context: context, environment: environment)
        }
        router.get("/register/clients") { request, context in
            try await Self.clients(request: request, context: context, environment: environment)
        }
        router.get("/register/{kind}.csv") { _, context in
            _ = try context.require(.viewer)
            let kind = try Self.kind(context)
            let bytes = try await RegisterExport.run(kind: kind, store: environment.store)
            return WebPage.download(bytes, contentType: "text/csv; charset=utf-8", fileName: "\(kind.rawValue).csv")
        }
        router.get("/register/:kind") { request, context in
            try await Self.list(request: request, context: context, environment: environment)
        }
        Self.registerForms(on: router, environment: environment)
        Self.registerImport(on: router, environment: environment)
    }

    // MARK: - pages

    /// `GET /register[?q=]`: how many rows each kind has (with `q`: how many match, each linked
    /// to its list searched for `q`).
    private static func overview(request: Request, context: WebRequestContext, environment: WebEnvironment) async throws -> Response {
        let session = try context.require(.viewer)
        let search = Self.query(request)["q"] ?? ""
        let (counts, matches) = try await environment.store.withConnection { connection in
            let counts = try RegisterBrowseStore.counts(on: connection)
            guard !search.isEmpty else { return (counts, nil as RegisterBrowseStore.Counts?) }
            return (counts, try RegisterBrowseStore.matching(search: search, on: connection))
        }
        let body = RegisterListPage.overview(counts: counts, search: search, matches: matches, session: session)
        return Self.render(context.flash, environment, title: "Register", session: session, body: body)
    }

    /// `GET /register/clients[?q=&page=]`: clients with their matters, codes and numbers.
    private static func clients(request: Request, context: WebRequestContext, environment: WebEnvironment) async throws -> Response {
        let session = try context.require(.viewer)
        let query = Self.query(request)
        let search = query["q"] ?? ""
        let page = Self.page(query)
        let size = environment.settings.pageSize
        let listLimit = Self.clientListLimit
        let clients = try await environment.store.withConnection { connection in
            try RegisterBrowseStore.clients(search: search, offset: (page - 1) * size, limit: size + 1, listLimit: listLimit, on: connection)
        }
        let body = RegisterClientsPage.render(
            clients: Array(clients.prefix(size)), search: search, page: page, hasMore: clients.count > size, session: session
        )
        return Self.render(context.flash, environment, title: "Clients and matters", session: session, body: body)
    }

    /// `GET /register/KIND[?q=&client=&page=]`: one page of a kind's rows.
    private static func list(request: Request, context: WebRequestContext, environment: WebEnvironment) async throws -> Response {
        let session = try context.require(.viewer)
        let kind = try Self.kind(context)
        let query = Self.query(request)
        let search = query["q"] ?? ""
        let client = query["client"].flatMap { $0.isEmpty ? nil : $0 }
        let page = Self.page(query)
        let size = environment.settings.pageSize
        let rows = try await environment.store.withConnection { connection in
            try RegisterBrowseStore.page(kind, search: search, client: client, offset: (page - 1) * size, limit: size + 1, on: connection)
        }
        let records = RegisterCSV.fields(rows)
        let body = RegisterListPage.list(
            kind: kind, records: Array(records.prefix(size)), search: search, client: client, page: page, hasMore: records.count > size,
            session: session
        )
        return Self.render(context.flash, environment, title: RegisterListPage.title(kind), session: session, body: body)
    }

    // MARK: - helpers

    /// The kind in the path; 404 for anything else.
    static func kind(_ context: WebRequestContext) throws -> RegisterKind {
        guard let name = context.parameters.get("kind"), let kind = RegisterKind(rawValue: name) else {
            throw HTTPError(.notFound, message: "No such part of the register; expected one of \(RegisterKind.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return kind
    }

    /// The query string's fields.
    static func query(_ request: Request) -> FormFields {
        FormFields.urlEncoded(Array((request.uri.query ?? "").utf8))
    }

    /// `page=` (1-based), within 1…``maximumPage``.
    static func page(_ query: FormFields) -> Int {
        min(max(Int(query["page"] ?? "") ?? 1, 1), Self.maximumPage)
    }

    /// A page of the register in the shell, with the one-time message of a redirect.
    static func render(
        _ flash: String?, _ environment: WebEnvironment, title: String, session: WebSession, status: HTTPResponse.Status = .ok,
        body: HTML
    ) -> Response {
        WebPage.render(title: title, section: .register, session: session, flash: flash, status: status, body: body)
    }

    /// `303` to `path` with a one-time message.
    static func redirect(to path: String, flash: String, environment: WebEnvironment) -> Response {
        WebPage.redirect(to: path, extraHeaders: WebCookies.flashHeaders(flash))
    }
}
