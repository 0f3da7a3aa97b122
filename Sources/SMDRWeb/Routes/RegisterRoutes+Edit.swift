import Hummingbird
import Logging
import SMDRCore
import SMDRPipeline
import SMDRPostgres
import SMDRReports

/// The add and edit forms of one row, and removing one (`billing`).
extension RegisterRoutes {
    static func registerForms(on router: Router<WebRequestContext>, environment: WebEnvironment) {
        router.get("/register/:kind/new") { request, context in
            let session = try context.require(.billing)
            let kind = try Self.kind(context)
            // Values may come in the link (`/register/codes/new?client_id=ACME` from a client).
            let query = request.queryFields
            var values = RegisterFormPage.initialValues(kind)
            for column in kind.columns { if let value = query[column], !value.isEmpty { values[column] = value } }
            let body = RegisterFormPage.render(kind: kind, values: values, isNew: true, problems: [], session: session)
            return WebPage.render(context: context, title: "Add \(RegisterImport.noun(kind))", section: .register, body: body)
        }
        router.get("/register/:kind/edit") { request, context in
            let session = try context.require(.billing)
            let kind = try Self.kind(context)
            let key = Self.key(kind, request.queryFields)
            let row = try await environment.store.withConnection { try RegisterBrowseStore.row(kind, key: key, on: $0) }
            guard let row, let record = RegisterCSV.fields(row).first else {
                throw HTTPError(.notFound, message: "There is no \(RegisterImport.noun(kind)) \(Self.describe(kind, key)) in the register.")
            }
            let values = Dictionary(uniqueKeysWithValues: zip(kind.columns, record))
            let body = RegisterFormPage.render(kind: kind, values: values, isNew: false, problems: [], session: session)
            return WebPage.render(context: context, title: "Edit \(RegisterImport.noun(kind))", section: .register, body: body)
        }
        router.post("/register/:kind/save") { request, context in
            try await Self.save(request: request, context: context, environment: environment)
        }
        router.post("/register/:kind/remove") { request, context in
            try await Self.remove(request: request, context: context, environment: environment)
        }
    }

    /// `POST /register/KIND/save`: the form as a one-row file of its kind, imported (upsert by
    /// key) with the CLI's code. Problems: the form again, values kept, 422. Success: the list,
    /// with the CLI's summary line.
    private static func save(request: Request, context: WebRequestContext, environment: WebEnvironment) async throws -> Response {
        let session = try context.require(.billing)
        let kind = try Self.kind(context)
        let form = context.form
        let isNew = form.isYes("_new")
        var values: [String: String] = [:]
        for column in kind.columns { values[column] = form[column] ?? "" }
        let key = kind.keyColumns.map { values[$0] ?? "" }
        func refused(_ problems: [RegisterProblem]) -> Response {
            let body = RegisterFormPage.render(kind: kind, values: values, isNew: isNew, problems: problems, session: session)
            return WebPage.render(
                context: context, title: "\(isNew ? "Add" : "Edit") \(RegisterImport.noun(kind))", section: .register,
                status: .unprocessableContent, body: body
            )
        }
        if isNew, !key.contains(where: \.isEmpty) || kind == .rates {
            // A new row must not overwrite one with the same key without saying so.
            let existing = try await environment.store.withConnection { try RegisterBrowseStore.row(kind, key: key, on: $0) }
            if existing != nil {
                return refused([
                    RegisterProblem(
                        line: 2, column: kind.keyColumns.last ?? "",
                        message: "\(RegisterImport.noun(kind)) \(Self.describe(kind, key)) is registered already; expected a new key (edit the registered one instead)"
                    )
                ])
            }
        }
        let file = RegisterCSV.oneRow(kind, values)
        let changes = try await RegisterImport.check(kind: kind, bytes: file, replace: false, dryRun: false, store: environment.store)
        guard changes.problems.isEmpty else { return refused(changes.problems) }
        environment.logger.info(
            "web register save", metadata: ["kind": "\(kind.rawValue)", "user": "\(session.userName)", "changed": "\(!changes.isNoChange)"]
        )
        let target = WebLink.path(["register", kind.rawValue], query: [("q", key.first ?? "")])
        return WebPage.redirect(to: target, flash: RegisterImport.summary(changes, dryRun: false))
    }

    /// `POST /register/KIND/remove` with the key columns: deactivates a code, removes any other
    /// row (``RegisterStore/remove(_:key:dryRun:)``: `--replace`'s logic and messages).
    private static func remove(request: Request, context: WebRequestContext, environment: WebEnvironment) async throws -> Response {
        let session = try context.require(.billing)
        let kind = try Self.kind(context)
        let key = Self.key(kind, context.form)
        let changes = try await environment.store.withConnection { try RegisterStore(connection: $0).remove(kind, key: key) }
        let verb = kind == .codes ? "deactivate" : "remove"
        guard changes.problems.isEmpty else {
            let body = RegisterListPage.refusal(
                kind: kind, title: "Cannot \(verb) \(RegisterImport.noun(kind)) \(Self.describe(kind, key))", problems: changes.problems
            )
            return WebPage.render(context: context, title: "Cannot \(verb)", section: .register, status: .unprocessableContent, body: body)
        }
        environment.logger.info("web register remove", metadata: ["kind": "\(kind.rawValue)", "user": "\(session.userName)", "verb": "\(verb)"])
        let flash =
            changes.missing.isEmpty
            ? "\(RegisterImport.noun(kind)) \(Self.describe(kind, key)): nothing to \(verb) (\(kind == .codes ? "not registered or inactive already" : "not registered"))"
            : RegisterImport.summary(changes, dryRun: false)
        return WebPage.redirect(to: WebLink.path(["register", kind.rawValue]), flash: flash)
    }

    /// A key as the form or link gives it (export's text), in the CLI's words
    /// (``RegisterImport/describe(_:_:)``, which reads a rate's start as the database writes it).
    static func describe(_ kind: RegisterKind, _ key: [String]) -> String {
        var key = key
        if kind == .rates, key.count == 6, let from = EffectiveTime.parse(key[5]) { key[5] = from.description }
        return RegisterImport.describe(kind, key)
    }

    /// The key columns' values from a query or form (missing: empty).
    static func key(_ kind: RegisterKind, _ fields: FormFields) -> [String] {
        kind.keyColumns.map { fields[$0] ?? "" }
    }
}
