public import SMDRPostgres
import SMDRRating

/// `smdr register import KIND FILE`: reads a register file, checks every row, and applies the
/// file in one transaction, or nothing of it.
public enum RegisterImport {
    /// Most problems reported for one file; the rest are counted.
    public static let maximumReportedProblems = 50

    /// Imports `path` (`-`: standard input) as `kind`; returns the report for standard output:
    /// one line per added, changed or deactivated/removed row when `dryRun`, then the summary.
    ///
    /// - Throws: ``RegisterFileError`` (nothing applied) when a row is bad; `InputError` when the
    ///   file cannot be read; `PostgresError`.
    public static func run(
        kind: RegisterKind, path: String, replace: Bool, dryRun: Bool, store: PostgresStore
    ) async throws -> String {
        let bytes = try await ByteInput.readAll(path: path)
        let parsed = RegisterCSV.parse(kind, bytes)
        // With bad rows, the good ones are still checked against the database (nothing is
        // applied), so that one run reports every problem.
        let rows = parsed.rows
        let checkOnly = dryRun || !parsed.problems.isEmpty
        let changes = try await store.withConnection { connection in
            try RegisterStore(connection: connection).apply(rows, replace: replace, dryRun: checkOnly)
        }
        let problems = (parsed.problems + changes.problems).sorted()
        if !problems.isEmpty {
            throw RegisterFileError(file: path == "-" ? "<stdin>" : path, problems: problems)
        }
        return Self.report(changes, dryRun: dryRun)
    }

    /// The summary line (`codes: 2 added, 1 changed, 0 deactivated, 5 unchanged`), after one line
    /// per row when `dryRun`.
    public static func report(_ changes: RegisterChanges, dryRun: Bool) -> String {
        let kind = changes.kind
        var text = ""
        if dryRun {
            let noun = Self.noun(kind)
            func key(_ values: [String]) -> String { values.joined(separator: " ") }
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

    private static func noun(_ kind: RegisterKind) -> String {
        switch kind {
        case .codes: "code"
        case .numbers: "number"
        case .defaults: "default"
        case .timekeepers: "timekeeper"
        }
    }
}

/// `smdr register export KIND`: the register's rows of one kind as the CSV import reads.
public enum RegisterExport {
    /// The file: header, then the rows sorted by key.
    public static func run(kind: RegisterKind, store: PostgresStore) async throws -> [UInt8] {
        let rows = try await store.withConnection { connection -> RegisterRows in
            let register = RegisterStore(connection: connection)
            func lined<Value>(_ values: [Value]) -> [RegisterRow<Value>] {
                values.enumerated().map { RegisterRow(line: $0.offset + 2, value: $0.element) }
            }
            switch kind {
            case .codes: return .codes(lined(try register.codes()))
            case .numbers: return .numbers(lined(try register.numbers()))
            case .defaults: return .defaults(lined(try register.defaults()))
            case .timekeepers: return .timekeepers(lined(try register.timekeepers()))
            }
        }
        return RegisterCSV.write(rows)
    }
}

/// A register file with bad rows: nothing of it was applied.
public struct RegisterFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file as named on the command line.
    public var file: String
    /// Every problem, sorted by line.
    public var problems: [RegisterProblem]

    public init(file: String, problems: [RegisterProblem]) {
        self.file = file
        self.problems = problems
    }

    /// One line per problem (at most ``RegisterImport/maximumReportedProblems``), then what happened.
    public var description: String {
        var lines = self.problems.prefix(RegisterImport.maximumReportedProblems).map { $0.formatted(file: self.file) }
        if self.problems.count > RegisterImport.maximumReportedProblems {
            lines.append("… and \(self.problems.count - RegisterImport.maximumReportedProblems) more problems")
        }
        lines.append("\(self.file): nothing imported (\(self.problems.count) problem\(self.problems.count == 1 ? "" : "s"))")
        return lines.joined(separator: "\n")
    }
}
