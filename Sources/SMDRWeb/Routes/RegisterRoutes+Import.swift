import Foundation
import Hummingbird
import Logging
import SMDRCore
import SMDRPipeline
import SMDRPostgres
import SMDRReports

/// CSV import with a preview (`billing`): upload or paste a file, see what it would change (the
/// CLI's `--dry-run`), then apply exactly what was previewed.
///
/// The previewed file travels back in the apply form byte for byte (hidden field `file`, in
/// base64: a form's text would have its line ends and control characters changed), with a
/// digest of its kind, `replace`, its bytes and the changes the preview showed. Apply runs the
/// import again and, in its transaction under the import lock, refuses (409, nothing applied)
/// when the digest of what it would change now differs: another user's change to the register
/// since the preview (a row `--replace` would remove unseen), or a changed form. So the web
/// import of a file is the CLI's import of the same bytes, and only what was shown is applied.
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
        // The bytes as sent: a file exactly as it is on disk, a pasted text as the browser sends it.
        let bytes = upload?.bytes ?? Array((form["csv"] ?? "").utf8)
        guard !bytes.isEmpty else {
            let body = RegisterImportPage.form(
                kind: kind, replace: replace, text: "", session: session, problem: "Choose a CSV file or paste its text, then preview it."
            )
            return WebPage.render(context: context, title: "Import register CSV", section: .register, status: .unprocessableContent, body: body)
        }
        let changes = try await RegisterImport.check(kind: kind, bytes: bytes, replace: replace, dryRun: true, store: environment.store)
        let body = RegisterImportPage.preview(
            kind: kind, replace: replace, bytes: bytes, fileName: upload?.fileName,
            digest: Self.digest(kind: kind, replace: replace, bytes: bytes, changes: changes), changes: changes, session: session
        )
        return WebPage.render(
            context: context, title: "Import preview", section: .register, status: changes.problems.isEmpty ? .ok : .unprocessableContent, body: body
        )
    }

    /// `POST /register/import/apply` (`kind`, `replace`, `file`, `digest`): applies what the
    /// preview showed, or refuses with 409 when it is not that (the file, its kind or
    /// `replace`, or what the register would change).
    private static func apply(request: Request, context: WebRequestContext, environment: WebEnvironment) async throws -> Response {
        let session = try context.require(.billing)
        let form = context.form
        let kind = try Self.importKind(form)
        let replace = form.isYes("replace")
        let conflict = HTTPError(
            .conflict,
            message: "The file or the register changed since the preview (or its kind or replace did); nothing was imported. Preview it again."
        )
        guard let bytes = form["file"].flatMap({ Data(base64Encoded: $0) }).map(Array.init), !bytes.isEmpty, let given = form["digest"] else {
            throw conflict
        }
        let changes: RegisterChanges
        do {
            changes = try await RegisterImport.check(kind: kind, bytes: bytes, replace: replace, dryRun: false, store: environment.store) {
                WebSecret.equal(given, Self.digest(kind: kind, replace: replace, bytes: bytes, changes: $0))
            }
        } catch is RegisterChangedError {
            throw conflict
        }
        guard changes.problems.isEmpty else {
            // The register changed between preview and apply so that the file no longer fits: show why.
            let body = RegisterImportPage.preview(
                kind: kind, replace: replace, bytes: bytes, fileName: nil, digest: "", changes: changes, session: session
            )
            return WebPage.render(context: context, title: "Import refused", section: .register, status: .unprocessableContent, body: body)
        }
        environment.logger.info(
            "web register import", metadata: ["kind": "\(kind.rawValue)", "user": "\(session.userName)", "replace": "\(replace)"]
        )
        return WebPage.redirect(
            to: WebLink.path(["register", kind.rawValue]), flash: RegisterImport.summary(changes, dryRun: false)
        )
    }

    private static func importKind(_ form: FormFields) throws -> RegisterKind {
        guard let kind = form["kind"].flatMap(RegisterKind.init(rawValue:)) else {
            throw HTTPError(.badRequest, message: "Choose what the file holds: \(RegisterKind.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return kind
    }

    /// SHA-256 (hex) of the kind, `replace`, the file's bytes and the changes the preview shows
    /// (every added, changed and missing key with its line and columns, and the unchanged
    /// count): what apply checks. Each part is length-prefixed, so no two inputs read alike.
    static func digest(kind: RegisterKind, replace: Bool, bytes: [UInt8], changes: RegisterChanges) -> String {
        var input: [UInt8] = []
        func part(_ value: [UInt8]) { input += Array("\(value.count):".utf8) + value }
        func part(_ value: String) { part(Array(value.utf8)) }
        func key(_ values: [String]) {
            part(String(values.count))
            values.forEach(part)
        }
        part(kind.rawValue)
        part(replace ? "replace" : "upsert")
        part(bytes)
        for (name, list) in [("added", changes.added), ("changed", changes.changed)] {
            part(name)
            part(String(list.count))
            for change in list {
                part(String(change.line))
                key(change.key)
                key(change.columns)
            }
        }
        part("missing")
        part(String(changes.missing.count))
        changes.missing.forEach(key)
        part(String(changes.unchanged))
        return Hex.encode(SHA256.hash(input))
    }
}
