import SMDRPipeline
import SMDRPostgres
import SMDRRating
import SMDRReports

/// The form of one register row: one labelled field per CSV column, named exactly as the
/// column (`client_id`, `hourly_rate`), a `select` for each enumeration and boolean. It posts to
/// `/register/KIND/save`, which imports it as a one-row file, so its problems are the CLI's:
/// they are listed above the form (`ul#problems`) and next to their field (`p.field-problem`,
/// the field `aria-invalid="true"`), with every value kept.
///
/// Contract: `form#register-form`; hidden `_new` = `1` on the add form; in the edit form the key
/// columns are `readonly` (saving upserts by key, so a changed key would add a row).
enum RegisterFormPage {
    /// The choices of the columns that take one of a few values; the first is the default.
    static func choices(_ kind: RegisterKind, _ column: String) -> [String]? {
        let booleans = ["false", "true"]
        switch (kind, column) {
        case (.codes, "active"): return ["true", "false"]
        case (.numbers, "match"): return ClientNumber.Match.allCases.map(\.rawValue)
        case (.numbers, "blocked"): return booleans
        case (.defaults, "kind"): return CodeDefault.Kind.allCases.map(\.rawValue)
        case (.plans, "rounding"): return RatePlan.Rounding.allCases.map(\.rawValue)
        case (.plans, "scope"): return RatePlan.Scope.allCases.map(\.rawValue)
        case (.plans, "bill_hold_time"): return booleans
        default: return nil
        }
    }

    /// What a column takes, under its field (DESIGN §6, §7; the CLI's "expected").
    static func hint(_ kind: RegisterKind, _ column: String) -> String? {
        switch (kind, column) {
        case (.codes, "code"): "1 to 32 letters, digits, - . _ /; a pattern: ? for one character, a final * for any rest"
        case (.codes, "matter_id"), (.rates, "matter_id"): "empty: the client without a matter"
        case (.codes, "valid_from"), (.codes, "valid_to"): "YYYY-MM-DD (inclusive, the site's local date), or empty"
        case (.numbers, "number"): "E.164 with + (+441632960100); for prefix, the leading digits of a range"
        case (.numbers, "code"), (.defaults, "code"): "a registered code (not a pattern)"
        case (.numbers, "note"): "free text; for a blocked number, the reason"
        case (.defaults, "site"), (.timekeepers, "site"), (.rates, "site"): "a site of smdr site list; empty: any"
        case (.defaults, "value"): "the extension, user name or DDI as the PBX writes it"
        case (.timekeepers, "classification"): "LEDES classification (PT, AS, PL, …), or empty"
        case (.timekeepers, "extension"): "digits, or empty"
        case (.plans, "hourly_rate"): "a decimal (250.00)"
        case (.plans, "currency"): "ISO 4217 (GBP, EUR, USD)"
        case (.plans, "increment_seconds"): "360 = 0.1 h"
        case (.plans, "carrier_markup_percent"): "15 adds 15 % to the carrier's charge; empty: not passed on"
        case (.rates, "effective_from"), (.rates, "effective_to"): "YYYY-MM-DD or YYYY-MM-DD HH:MM at the call's site (from inclusive, to exclusive); empty: open"
        default: nil
        }
    }

    /// The add form's starting values: each enumeration's default.
    static func initialValues(_ kind: RegisterKind) -> [String: String] {
        var values: [String: String] = [:]
        for column in kind.columns { values[column] = Self.choices(kind, column)?.first ?? "" }
        if kind == .plans {
            values["increment_seconds"] = "360"
            values["minimum_seconds"] = "0"
            values["grace_seconds"] = "0"
        }
        return values
    }

    static func render(kind: RegisterKind, values: [String: String], isNew: Bool, problems: [RegisterProblem], session: WebSession) -> HTML {
        let noun = RegisterImport.noun(kind)
        var fields = HTML()
        for column in kind.columns {
            let value = values[column] ?? ""
            let own = problems.filter { $0.column == column }
            let isKey = kind.keyColumns.contains(column)
            let invalid: HTML = own.isEmpty ? HTML() : " aria-invalid=\"true\" aria-describedby=\"problem-\(column)\""
            let control: HTML
            if let choices = Self.choices(kind, column) {
                var options = HTML()
                // A value that is not a choice (from a file, or refused) stays as it was given.
                for choice in (choices.contains(value) || value.isEmpty ? choices : choices + [value]) {
                    options += choice == value ? "<option selected>\(choice)</option>" : "<option>\(choice)</option>"
                }
                control = "<select name=\"\(column)\" id=\"field-\(column)\"\(invalid)>\(options)</select>"
            } else if !isNew && isKey {
                control = "<input name=\"\(column)\" id=\"field-\(column)\" value=\"\(value)\" readonly\(invalid)>"
            } else {
                let required: HTML = isKey && kind != .rates ? " required" : HTML()
                control = "<input name=\"\(column)\" id=\"field-\(column)\" value=\"\(value)\"\(required)\(invalid)>"
            }
            let hint: HTML = Self.hint(kind, column).map { "<small class=\"hint\">\($0)</small>" } ?? HTML()
            var problemText = HTML()
            for problem in own { problemText += "<p class=\"field-problem\" id=\"problem-\(column)\">\(problem.message)</p>" }
            let keyMark: HTML = isKey ? " <span class=\"key-mark\" title=\"part of the key\">key</span>" : HTML()
            let fieldClass: String = own.isEmpty ? "field" : "field invalid"
            fields += """
                <div class="\(fieldClass)"><label for="field-\(column)">\(column)\(keyMark)</label>\(control)\(hint)\(problemText)</div>

                """
        }
        let newField: HTML = isNew ? "<input type=\"hidden\" name=\"_new\" value=\"1\">" : HTML()
        let heading: HTML = isNew ? "Add a \(noun)" : "Edit \(noun) \(RegisterRoutes.describe(kind, kind.keyColumns.map { values[$0] ?? "" }))"
        let keyNote: HTML =
            isNew
            ? HTML()
            : "<p class=\"muted\">The key (\(kind.keyColumns.joined(separator: ", "))) cannot change here: saving replaces the row with this key. To change it, add a new \(noun) and remove this one.</p>\n"
        return """
            <p class="crumbs"><a href="/register">Register</a> › <a href="\(WebLink.path(["register", kind.rawValue]))">\(RegisterListPage.title(kind))</a></p>
            <h1>\(heading)</h1>
            \(keyNote)\(Self.problemList(problems, withLines: false))<form id="register-form" class="register-form" method="post" action="\(WebLink.path(["register", kind.rawValue, "save"]))">
            \(WebPage.csrfField(session))\(newField)
            \(fields)<p><button type="submit">Save</button> <a class="button secondary" href="\(WebLink.path(["register", kind.rawValue]))">Cancel</a></p>
            </form>

            """
    }

    /// The problems as the CLI words them, `column NAME: what is wrong; expected …`, with the
    /// file's line (`line 3: …`) when `withLines`; empty when there are none. Shows at most
    /// ``RegisterImport/maximumReportedProblems`` and counts the rest.
    static func problemList(_ problems: [RegisterProblem], withLines: Bool) -> HTML {
        guard !problems.isEmpty else { return HTML() }
        var items = HTML()
        for problem in problems.prefix(RegisterImport.maximumReportedProblems) {
            let line: HTML = withLines ? "line \(problem.line): " : HTML()
            let column: HTML = problem.column.isEmpty ? HTML() : "column \(problem.column): "
            items += "<li>\(line)\(column)\(problem.message)</li>\n"
        }
        if problems.count > RegisterImport.maximumReportedProblems {
            items += "<li>… and \(problems.count - RegisterImport.maximumReportedProblems) more problems</li>\n"
        }
        let count: String = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
        return """
            <div class="error" role="alert" id="problems"><p>Nothing was changed: \(count).</p>
            <ul>
            \(items)</ul></div>

            """
    }
}
