import SMDRCore

/// Removing one row of the register (the web app's "Remove" and "Deactivate").
extension RegisterStore {
    /// Removes the row of `kind` whose key columns hold `key` (a code is deactivated, never
    /// deleted), with the logic of `smdr register import KIND --replace`: the register is made
    /// equal to itself without that row.
    ///
    /// Why through `--replace` rather than a `DELETE`: every check and message stays the CLI's.
    /// A plan or timekeeper that a rate assignment still uses is refused with the same
    /// ``RegisterProblem`` an import with `--replace` gives (the only foreign keys into the
    /// register's removable rows are rate assignments'), a code is deactivated by the same
    /// statement, and the summary reads like the CLI's (`numbers: 0 added, 0 changed, 1 removed,
    /// 12 unchanged`). The kind's other rows are copied into the staging table inside the
    /// database (`INSERT … SELECT`), never through the app, so the cost is one statement over
    /// the kind's table (the register holds thousands of rows, not millions).
    ///
    /// - Parameter key: the key columns' values as export writes them; empty is none (a rate's
    ///   open client or start).
    /// - Returns: the changes; ``RegisterChanges/missing`` holds the key when the row was
    ///   removed (or would be, with `dryRun`), and is empty when there is no such row (or the
    ///   code is inactive already). With ``RegisterChanges/problems`` nothing was changed.
    @discardableResult
    package func remove(_ kind: RegisterKind, key: [String], dryRun: Bool = false) throws -> RegisterChanges {
        let spec = Spec.of(kind)
        guard let parameters = Self.keyParameters(kind, key) else { return RegisterChanges(kind: kind) }
        return try self.connection.withTransaction {
            try self.connection.execute("SELECT pg_advisory_xact_lock($1)", [.int(Self.importLockKey)])
            try self.connection.executeScript(
                "CREATE TEMP TABLE register_import (line integer NOT NULL, \(spec.stagingColumns)) ON COMMIT DROP"
            )
            let columns = kind.columns.joined(separator: ", ")
            let staged = try self.connection.execute(
                """
                WITH staged AS (
                    INSERT INTO register_import (line, \(columns))
                    SELECT (row_number() OVER (ORDER BY \(spec.order)) + 1)::integer, \(kind.columns.map { "cur.\($0)" }.joined(separator: ", "))
                    FROM (\(spec.currentSQL)) AS cur
                    WHERE NOT (\(spec.keyMatches("cur", firstParameter: 1, nullSafe: true)))
                    RETURNING 1
                )
                SELECT count(*) FROM staged
                """,
                parameters
            )
            return try self.compareStaged(kind, count: staged.first?[0].int ?? 0, replace: true, dryRun: dryRun)
        }
    }

    /// The statement parameters of a key (export's text; empty is NULL); `nil` when a value
    /// cannot be one (a rate's start that is not a date or time), so no row has that key.
    static func keyParameters(_ kind: RegisterKind, _ key: [String]) -> [PostgresValue]? {
        guard key.count == kind.keyColumns.count else { return nil }
        var parameters: [PostgresValue] = []
        for (column, value) in zip(kind.keyColumns, key) {
            if value.isEmpty {
                parameters.append(.null)
            } else if column == "effective_from" {
                guard let time = EffectiveTime.parse(value) else { return nil }
                parameters.append(.text(time.description))
            } else {
                parameters.append(.text(value))
            }
        }
        return parameters
    }
}

extension RegisterStore.Spec {
    /// The condition that row `alias` (in the staging columns) has the key given as parameters
    /// `$firstParameter…` (``RegisterStore/keyParameters(_:_:)``), compared with
    /// ``keyEquals`` (`=`, which can use the key's index, except for rates, whose key columns
    /// may be NULL), or `IS NOT DISTINCT FROM` when `nullSafe`: then the condition is never
    /// NULL, which `NOT (…)` in ``RegisterStore/remove(_:key:dryRun:)`` needs (with `=`, an empty
    /// key would make every row "not this one" unknown, and the whole kind would be removed).
    func keyMatches(_ alias: String, firstParameter: Int, nullSafe: Bool) -> String {
        self.keys.enumerated().map { offset, column in
            let cast = column == "effective_from" ? "::timestamp" : "::text"
            return "\(alias).\(column) \(nullSafe ? "IS NOT DISTINCT FROM" : self.keyEquals) $\(firstParameter + offset)\(cast)"
        }.joined(separator: " AND ")
    }
}
