import Foundation
import SMDRPipeline
import SMDRPostgres
import SMDRReports

/// Importing a register CSV: the upload form, and the preview of what the file would change
/// (the CLI's `--dry-run`) with the form that applies it.
///
/// Contract: `form#import-form` (`multipart/form-data`, POST `/register/import/preview`) with
/// `kind` (select), `file` (file input), `csv` (textarea), `replace` (checkbox); the preview is
/// `table#preview` with one `tr` per row that would change (`tr.add`, `tr.change`,
/// `tr.deactivate` or `tr.remove`; changing columns in `td.columns`), the CLI's summary in
/// `p#preview-summary`, the problems in `div#problems`; with no problem, `form#apply-form`
/// (POST `/register/import/apply`, URL-encoded) with hidden `kind`, `replace`, `file` (the
/// previewed bytes in base64) and `digest`.
enum RegisterImportPage {
    /// Rows of the preview table at most (a 10,000-row file shows its first ones; the summary counts all).
    static let maximumPreviewRows = 500

    static func form(kind: RegisterKind, replace: Bool, text: String, session: WebSession, problem: String? = nil) -> HTML {
        """
        <p class="crumbs"><a href="/register">Register</a> › Import</p>
        <h1>Import register CSV</h1>
        \(WebPage.problems([problem].compactMap { $0 }))\(Self.uploadForm(kind: kind, replace: replace, text: text, session: session))
        """
    }

    /// The upload form (also under a preview, with the text, to change and preview again).
    private static func uploadForm(kind: RegisterKind, replace: Bool, text: String, session: WebSession) -> HTML {
        var options = HTML()
        for each in RegisterKind.allCases {
            options += each == kind ? "<option selected>\(each.rawValue)</option>" : "<option>\(each.rawValue)</option>"
        }
        let checked: HTML = replace ? " checked" : HTML()
        return """
            <form id="import-form" class="register-import" method="post" action="/register/import/preview" enctype="multipart/form-data">
            \(WebPage.csrfField(session))
            <div class="field"><label for="import-kind">What the file holds</label><select name="kind" id="import-kind">\(options)</select>
            <small class="hint">The header names the kind's columns (export shows the format).</small></div>
            <div class="field"><label for="import-file">CSV file</label><input type="file" name="file" id="import-file" accept=".csv,text/csv"></div>
            <div class="field"><label for="import-csv">or paste its text</label><textarea name="csv" id="import-csv" rows="8" cols="100" spellcheck="false">\(text)</textarea></div>
            <div class="field"><label class="check"><input type="checkbox" name="replace" value="on"\(checked)> Replace: make the register equal to the file (codes missing from it become inactive; other rows missing from it are removed)</label></div>
            <p><button type="submit">Preview</button> <span class="muted">Nothing changes until you apply the preview.</span></p>
            </form>

            """
    }

    static func preview(
        kind: RegisterKind, replace: Bool, bytes: [UInt8], fileName: String?, digest: String, changes: RegisterChanges, session: WebSession
    ) -> HTML {
        let noun = RegisterImport.noun(kind)
        var rows = HTML()
        var shown = 0
        func row(_ action: StaticString, _ label: String, key: [String], line: Int?, columns: [String]) {
            shown += 1
            guard shown <= Self.maximumPreviewRows else { return }
            let lineText: HTML = line.map { "\($0)" } ?? HTML()
            rows += """
                <tr class="\(HTML(stringLiteral: action))"><td>\(label)</td><td>\(noun) \(RegisterImport.describe(kind, key))</td><td class="num">\(lineText)</td><td class="columns">\(columns.joined(separator: ", "))</td></tr>

                """
        }
        for change in changes.added { row("add", "add", key: change.key, line: change.line, columns: []) }
        for change in changes.changed { row("change", "change", key: change.key, line: change.line, columns: change.columns) }
        for missing in changes.missing {
            if kind == .codes {
                row("deactivate", "deactivate", key: missing, line: nil, columns: ["active"])
            } else {
                row("remove", "remove", key: missing, line: nil, columns: [])
            }
        }
        if shown > Self.maximumPreviewRows {
            rows += "<tr><td colspan=\"4\" class=\"muted\">… and \(shown - Self.maximumPreviewRows) more rows</td></tr>\n"
        }
        if shown == 0 { rows = "<tr><td colspan=\"4\" class=\"muted\">No row would change.</td></tr>\n" }
        let summary = RegisterImport.summary(changes, dryRun: true)
        let source: HTML = fileName.map { $0.isEmpty ? HTML() : " of <strong>\($0)</strong>" } ?? HTML()
        // An uploaded file is not repeated in the form below (it is in the apply form already).
        let apply: HTML
        if changes.problems.isEmpty && !changes.isNoChange {
            let replaceValue: HTML = replace ? "true" : "false"
            apply = """
                <form id="apply-form" method="post" action="/register/import/apply">
                \(WebPage.csrfField(session))<input type="hidden" name="kind" value="\(kind.rawValue)"><input type="hidden" name="replace" value="\(replaceValue)"><input type="hidden" name="digest" value="\(digest)"><input type="hidden" name="file" value="\(Data(bytes).base64EncodedString())">
                <p><button type="submit">Apply these changes</button> <a class="button secondary" href="\(WebLink.path(["register", kind.rawValue]))">Cancel</a></p>
                </form>

                """
        } else if changes.problems.isEmpty {
            apply = "<p class=\"muted\">Nothing to apply: the register has these rows already.</p>\n"
        } else {
            apply = "<p class=\"muted\">Fix the file and preview it again; nothing of it can be applied while it has problems.</p>\n"
        }
        let mode: HTML = replace ? " (replace)" : HTML()
        return """
            <p class="crumbs"><a href="/register">Register</a> › <a href="/register/import">Import</a> › Preview</p>
            <h1>Preview: import \(kind.rawValue)\(source)\(mode)</h1>
            \(RegisterFormPage.problemList(changes.problems, withLines: true))<p id="preview-summary" class="summary">\(summary)</p>
            <div class="table-scroll">
            <table id="preview" class="preview">
            <thead><tr><th scope="col">Would</th><th scope="col">Row</th><th scope="col" class="num">Line</th><th scope="col">Columns changing</th></tr></thead>
            <tbody>
            \(rows)</tbody>
            </table>
            </div>
            \(apply)<h2>Change the file and preview again</h2>
            \(Self.uploadForm(kind: kind, replace: replace, text: fileName == nil ? String(decoding: bytes, as: UTF8.self) : "", session: session))
            """
    }
}
