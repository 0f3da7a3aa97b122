import Hummingbird
import Logging
import SMDRCore
import SMDRPipeline
import SMDRPostgres
import SMDRReports

/// `/statements`: the list of client × month with charges, each statement as the very page
/// `smdr statement --html` writes, and its PDF as `smdr statement --pdf` prints it. Every role
/// may read them; nothing here changes anything.
enum StatementRoutes {
    /// Statement PDFs printing at once, at most (each is a headless Chromium); one more is
    /// refused with 503 and `Retry-After` until a print ends.
    static let maximumConcurrentPrints = 2
    /// Seconds a refused print is told to wait.
    static let retryAfterSeconds = 5

    /// What a viewer is told when the server has no Chromium (the log has the detail).
    static let noPrinterMessage =
        "PDF printing is not available on this server; ask the administrator. The statement itself can be opened as a page and printed from the browser."
    /// What a viewer is told when Chromium failed or was too slow (the log has the detail).
    static let printingFailedMessage = "Printing failed; the server's log says why. Try again, or open the statement as a page and print it from the browser."

    /// The statement page's own CSP: it is self-contained with an inline style sheet, and has
    /// nothing to run, load, frame or submit.
    static let statementContentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

    static func register(on router: Router<WebRequestContext>, environment: WebEnvironment) {
        let gate = PrintGate(limit: Self.maximumConcurrentPrints)
        router.get("/statements") { request, context in
            try context.require(.viewer)
            return try await Self.list(request: request, context: context, environment: environment)
        }
        router.get("/statements/:client/:month") { _, context in
            try context.require(.viewer)
            let client = Self.decoded(context.parameters.get("client") ?? "")
            var monthText = Self.decoded(context.parameters.get("month") ?? "")
            let isPDF = monthText.hasSuffix(".pdf")
            if isPDF { monthText.removeLast(4) }
            guard let month = LocalDate(yearMonth: monthText) else {
                throw HTTPError(.badRequest, message: "'\(monthText)' is not a month: expected YYYY-MM, e.g. /statements/ACME/2026-04.")
            }
            return try await isPDF
                ? Self.pdf(client: client, month: month, environment: environment, gate: gate)
                : Self.page(client: client, month: month, environment: environment)
        }
    }

    // MARK: the list

    private static func list(request: Request, context: WebRequestContext, environment: WebEnvironment) async throws -> Response {
        let query = request.queryFields
        let client = (query["client"] ?? "").trimmed()
        var position: StatementListStore.Position?
        if let monthText = query["after_month"], let month = LocalDate(yearMonth: monthText) {
            position = StatementListStore.Position(month: month, clientID: query["after_client"] ?? "")
        }
        let limit = environment.settings.pageSize
        let start = position
        let found = try await environment.store.withConnection { connection in
            try StatementListStore.entries(clientID: client.isEmpty ? nil : client, after: start, limit: limit + 1, on: connection)
        }
        let shown = Array(found.prefix(limit))
        let next = found.count > limit ? shown.last.map { StatementListStore.Position(month: $0.month, clientID: $0.clientID) } : nil
        let body = StatementListPage.body(entries: shown, client: client, isFirstPage: position == nil, next: next)
        return WebPage.render(context: context, title: "Statements", section: .statements, body: body)
    }

    // MARK: one statement

    /// The statement's content, as `smdr statement` reads it; 404 for a client not registered.
    private static func input(client: String, month: LocalDate, environment: WebEnvironment) async throws -> StatementInput {
        let output = environment.settings.output
        do {
            return try await StatementRun(clientID: client, month: month, firm: output.firm, paper: output.paper).input(in: environment.store)
        } catch is UnknownClientError {
            throw HTTPError(.notFound, message: "No client '\(client)' is registered.")
        }
    }

    private static func page(client: String, month: LocalDate, environment: WebEnvironment) async throws -> Response {
        let input = try await Self.input(client: client, month: month, environment: environment)
        return WebPage.response(html: StatementPage.html(input), contentSecurityPolicy: Self.statementContentSecurityPolicy)
    }

    private static func pdf(client: String, month: LocalDate, environment: WebEnvironment, gate: PrintGate) async throws -> Response {
        let output = environment.settings.output
        // Chromium is found first, as `smdr statement --pdf` does: without it nothing is read.
        let printer: ChromiumPrinter
        do {
            printer = try ChromiumPrinter(configured: output.chromium, timeout: output.pdfTimeout)
        } catch {
            // The detail (paths, packages to install) is for the administrator, not every viewer.
            environment.logger.error("statement PDF: no Chromium", metadata: ["error": "\(error.description)"])
            throw HTTPError(.serviceUnavailable, message: Self.noPrinterMessage)
        }
        let printed = try await gate.withPlace {
            let input = try await Self.input(client: client, month: month, environment: environment)
            do {
                return try await StatementPDF.print(StatementPage.html(input), documentDate: input.closedOn, printer: printer)
            } catch let error as ChromiumError {
                environment.logger.error("statement PDF failed", metadata: ["client": "\(client)", "error": "\(error.description)"])
                throw HTTPError(.serviceUnavailable, message: Self.printingFailedMessage)
            }
        }
        guard let printed else {
            var error = HTTPError(
                .serviceUnavailable,
                message: "\(Self.maximumConcurrentPrints) statements are printing already; try again in a few seconds."
            )
            error.headers[.retryAfter] = String(Self.retryAfterSeconds)
            throw error
        }
        let name = "statement-\(client)-\(month.yearMonthText).pdf"
        return WebPage.download(printed, contentType: "application/pdf", fileName: name)
    }

    /// A path segment as the router hands it (still percent-encoded), decoded: `%2F` is a `/` of
    /// a client ID, and `+` stays a `+` (only a query turns it into a space).
    static func decoded(_ segment: String) -> String {
        FormFields.percentDecoded(segment.utf8, plusIsSpace: false)
    }
}
