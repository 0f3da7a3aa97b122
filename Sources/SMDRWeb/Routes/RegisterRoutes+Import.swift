import Hummingbird
import Logging
import SMDRCore
import SMDRPipeline
import SMDRPostgres
import SMDRReports

/// CSV import with a preview (`billing`): upload or paste a file, see what it would change (the
/// CLI's `--dry-run`), then apply exactly what was previewed.
///
/// The previewed text travels back in the apply form (hidden field `csv`) with a digest of it,
/// its kind and `replace`; apply refuses (409) a text whose digest differs, so what is applied
/// is what was shown. Line ends are made LF before either (a browser sends a form's text with
/// CRLF, a file may have either), which changes no cell.
extension RegisterRoutes {
    static func registerImport(on router: Router<WebRequestContext>, environment: WebEnvironment) {
        router.get("/register/import") { request, context in
            let session = try context.require(.billing)
            let kind = request.queryFields["kind"].flatMap(RegisterKind.init(rawValue:)) ?? .codes
            let body = RegisterImportPage.form(kind: kind, replace: false, text: "", session: session)
            return WebPage.render(context: context, title: "Import register CSV", section: .register, body: body)
        }
        router.post("/register/import/preview") { request, context in
            try await Self.preview(request: request, context: context, environment: environment)
        }
        router.post("/register/import/apply") { request, context in
            try await Self.apply(request: request, context: context, environment: environment)
        }
    }

    /// `POST /register/import/preview` (multipart: `kind`, `file` or `csv`, `replace`): the dry run.
    private static func preview(request: Request, context: WebRequestContext, environment: WebEnvironment) async throws -> Response {
        let session = try context.require(.billing)
        let form = context.form
        let kind = try Self.importKind(form)
        let replace = form.isYes("replace")
        let upload = form.upload("file").flatMap { $0.bytes.isEmpty ? nil : $0 }
        let bytes = Self.normalizedLineEnds(upload?.bytes ?? Array((form["csv"] ?? "").utf8))
        guard !bytes.isEmpty else {
            let body = RegisterImportPage.form(
                kind: kind, replace: replace, text: "", session: session, problem: "Choose a CSV file or paste its text, then preview it."
            )
            return WebPage.render(context: context, title: "Import register CSV", section: .register, status: .unprocessableContent, body: body)
        }
        let changes = try await RegisterImport.check(kind: kind, bytes: bytes, replace: replace, dryRun: true, store: environment.store)
        let body = RegisterImportPage.preview(
            kind: kind, replace: replace, text: String(decoding: bytes, as: UTF8.self), fileName: upload?.fileName,
            digest: Self.digest(kind: kind, replace: replace, bytes: bytes), changes: changes, session: session
        )
        return WebPage.render(context: context, title: "Import preview", section: .register, status: changes.problems.isEmpty ? .ok : .unprocessableContent,
            body: body
        )
    }

    /// `POST /register/import/apply` (`kind`, `replace`, `csv`, `digest`): applies what the
    /// preview showed, or refuses with 409 when it is not that.
    private static func apply(request: Request, context: WebRequestContext, environment: WebEnvironment) async throws -> Response {
        let session = try context.require(.billing)
        let form = context.form
        let kind = try Self.importKind(form)
        let replace = form.isYes("replace")
        let bytes = Self.normalizedLineEnds(Array((form["csv"] ?? "").utf8))
        guard let given = form["digest"], WebSecret.equal(given, Self.digest(kind: kind, replace: replace, bytes: bytes)) else {
            throw HTTPError(
                .conflict, message: "The file changed since its preview (or its kind or replace did); nothing was imported. Preview it again."
            )
        }
        let changes = try await RegisterImport.check(kind: kind, bytes: bytes, replace: replace, dryRun: false, store: environment.store)
        guard changes.problems.isEmpty else {
            // The register changed between preview and apply (another import): show why.
            let body = RegisterImportPage.preview(
                kind: kind, replace: replace, text: String(decoding: bytes, as: UTF8.self), fileName: nil,
                digest: Self.digest(kind: kind, replace: replace, bytes: bytes), changes: changes, session: session
            )
            return WebPage.render(context: context, title: "Import refused", section: .register, status: .unprocessableContent, body: body)
        }
        environment.logger.info(
            "web register import", metadata: ["kind": "\(kind.rawValue)", "user": "\(session.userName)", "replace": "\(replace)"]
        )
        return WebPage.redirect(to: WebLink.path(["register", kind.rawValue]), flash: RegisterImport.summary(changes, dryRun: false), secure: environment.settings.isSecure)
    }

    private static func importKind(_ form: FormFields) throws -> RegisterKind {
        guard let kind = form["kind"].flatMap(RegisterKind.init(rawValue:)) else {
            throw HTTPError(.badRequest, message: "Choose what the file holds: \(RegisterKind.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return kind
    }

    /// CRLF and lone CR as LF: what a browser's round trip of the text through a form keeps.
    static func normalizedLineEnds(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(13) else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == 13 {
                out.append(10)
                if index + 1 < bytes.count, bytes[index + 1] == 10 { index += 1 }
            } else {
                out.append(bytes[index])
            }
            index += 1
        }
        return out
    }

    /// SHA-256 (hex) of the kind, `replace` and the text: what apply checks the preview against.
    static func digest(kind: RegisterKind, replace: Bool, bytes: [UInt8]) -> String {
        Hex.encode(SHA256.hash(Array("\(kind.rawValue)\n\(replace)\n".utf8) + bytes))
    }
}
