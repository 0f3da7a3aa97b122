import SMDRCore
package import SMDRPostgres
import SMDRRating

/// `smdr register import KIND FILE`: reads a register file, checks every row, and applies the
/// file in one transaction, or nothing of it.
package enum RegisterImport {
    /// Most problems reported for one file; the rest are counted.
    package static let maximumReportedProblems = 50

    /// Imports `path` (`-`: standard input) as `kind`; returns the report for standard output:
    /// one line per added, changed or deactivated/removed row when `dryRun`, then the summary.
    ///
    /// - Throws: ``RegisterFileError`` (nothing applied) when a row is bad; `InputError` when the
    ///   file cannot be read; `PostgresError`.
    package static func run(
        kind: RegisterKind, path: String, replace: Bool, dryRun: Bool, store: PostgresStore
    ) async throws -> String {
        let bytes = try await ByteInput.readAll(path: path)
        let changes = try await Self.check(kind: kind, bytes: bytes, replace: replace, dryRun: dryRun, store: store)
        if !changes.problems.isEmpty {
            throw RegisterFileError(file: path == "-" ? "<stdin>" : path, problems: changes.problems)
        }
        return Self.report(changes, dryRun: dryRun)
    }

    /// Imports the file `bytes` as `kind`, as ``run(kind:path:replace:dryRun:store:)`` does (the
    /// web app's edit forms and uploads come here): parses it, checks every row against the
    /// database and, unless `dryRun` or a problem, applies it in one transaction. `expecting`
    /// vetoes changes that are not the ones the caller showed (``RegisterStore/apply(_:replace:dryRun:expecting:)``).
    ///
    /// - Returns: what changed (or would); its ``RegisterChanges/problems`` hold every problem
    ///   of the file, the CSV's and the database's, sorted by line: when there are any,
    ///   nothing was applied.
    /// - Throws: `PostgresError`; ``RegisterChangedError`` when `expecting` refused the changes.
    package static func check(
        kind: RegisterKind, bytes: [UInt8], replace: Bool, dryRun: Bool, store: PostgresStore,
        expecting: (@Sendable (RegisterChanges) -> Bool)? = nil
    ) async throws -> RegisterChanges {
        let parsed = RegisterCSV.parse(kind, bytes)
        // With bad rows, the good ones are still checked against the database (nothing is
        // applied), so that one run reports every problem.
        let rows = parsed.rows
        let checkOnly = dryRun || !parsed.problems.isEmpty
        var changes = try await store.withConnection { connection in
            try RegisterStore(connection: connection).apply(rows, replace: replace, dryRun: checkOnly, expecting: expecting)
        }
        changes.problems = (parsed.problems + changes.problems).sorted()
        return changes
    }

    /// The last line of ``report(_:dryRun:)``: `codes: 1 added, 0 changed, 0 deactivated, 4 unchanged`.
    package static func summary(_ changes: RegisterChanges, dryRun: Bool) -> String {
        Self.report(changes, dryRun: dryRun).split(separator: "\n").last.map(String.init) ?? ""
    }

    /// The summary line (`codes: 2 added, 1 changed, 0 deactivated, 5 unchanged`), after one line
    /// per row when `dryRun`.
    package static func report(_ changes: RegisterChanges, dryRun: Bool) -> String {
        let kind = changes.kind
        var text = ""
        if dryRun {
            let noun = Self.noun(kind)
            func key(_ values: [String]) -> String { Self.describe(kind, values) }
            for change in changes.added { text += "would add \(noun) \(key(change.key)) (line \(change.line))\n" }
            for change in changes.changed {
                text += "would change \(noun) \(key(change.key)) (line \(change.line)): \(change.columns.joined(separator: ", "))\n"
            }
            let verb = kind == .codes ? "deactivate" : "remove"
            for missing in changes.missing { text += "would \(verb) \(noun) \(key(missing))\n" }
        }
        let counts =
            "\(changes.added.count) added, \(changes.changed.count) changed, \(changes.missing.count) \(kind.replaceVerb), "
            + "\(changes.unchanged) unchanged"
        if dryRun {
            text += "\(kind.rawValue): dry run, nothing changed; would be \(counts)\n"
        } else if changes.isNoChange {
            text += "\(kind.rawValue): no change (\(changes.unchanged) unchanged)\n"
        } else {
            text += "\(kind.rawValue): \(counts)\n"
        }
        return text
    }

    /// What one row of `kind` is called (`code`, `number`, …, `rate`).
    package static func noun(_ kind: RegisterKind) -> String {
        switch kind {
        case .codes: "code"
        case .numbers: "number"
        case .defaults: "default"
        case .timekeepers: "timekeeper"
        case .plans: "plan"
        case .rates: "rate"
        }
    }

    /// A row's key in words: the values joined by spaces; for a rate, its plan, target and
    /// start (`STD for client ACME, site demo from 2026-04-01`).
    package static func describe(_ kind: RegisterKind, _ key: [String]) -> String {
        guard kind == .rates, key.count == 6 else { return key.joined(separator: " ") }
        let target = zip(["client", "matter", "timekeeper", "site"], key[1...4]).filter { !$0.1.isEmpty }.map { "\($0.0) \($0.1)" }
        let from = LocalDateTime(iso: key[5]).map(EffectiveTime.format) ?? "open"
        return "\(key[0]) for \(target.isEmpty ? "every call" : target.joined(separator: ", ")) from \(from)"
    }
}
