import SMDRCore
package import SMDRRating

/// Reads and writes the billing register (`smdr.client`, `matter`, `account_code`,
/// `client_number`, `code_default`, `timekeeper`, `rate_plan`, `rate_assignment`) on one connection; blocking (use it inside
/// ``PostgresStore/withConnection(_:)``).
///
/// An import is set-based: the file's rows are copied (`COPY`) into a temporary table, checked
/// against the register, compared and upserted with a few statements in one transaction, so a
/// 10,000-row file takes a handful of round trips.
package struct RegisterStore {
    /// Held (transaction-scoped) while an import runs, so two imports of one database queue up.
    static let importLockKey = 0x736D_6472_7265_67  // 'smdrreg'

    let connection: PostgresConnection

    package init(connection: PostgresConnection) {
        self.connection = connection
    }

    // MARK: reading

    /// The whole register as the matcher and the rater see it: every code (inactive ones
    /// included: the matcher decides validity), number, default, timekeeper, plan and rate
    /// assignment, each sorted as export writes them.
    package func loadRegister() throws -> Register {
        try self.connection.withTransaction {
            // One snapshot for all six reads.
            try self.connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            return Register(
                codes: try self.codes(), numbers: try self.numbers(), defaults: try self.defaults(), timekeepers: try self.timekeepers(),
                plans: try self.plans(), rates: try self.rates()
            )
        }
    }

    /// Every account code with its client and matter, by code.
    package func codes() throws -> [AccountCode] { try self.codes(Spec.codes.sorted) }

    /// The rows `sql` selects, in the columns of ``Spec/currentSQL``.
    func codes(_ sql: String, _ parameters: [PostgresValue] = []) throws -> [AccountCode] {
        try self.connection.execute(sql, parameters).map { row in
            AccountCode(
                code: row[0].string ?? "", clientID: row[1].string ?? "", clientName: row[2].string ?? "",
                matterID: row[3].string, matterName: row[4].string, description: row[5].string ?? "",
                active: row[6].bool ?? false, validFrom: row[7].string.flatMap { LocalDate(iso: $0) },
                validTo: row[8].string.flatMap { LocalDate(iso: $0) }
            )
        }
    }

    /// Every client number, by number.
    package func numbers() throws -> [ClientNumber] { try self.numbers(Spec.numbers.sorted) }

    /// The rows `sql` selects, in the columns of ``Spec/currentSQL``.
    func numbers(_ sql: String, _ parameters: [PostgresValue] = []) throws -> [ClientNumber] {
        try self.connection.execute(sql, parameters).map { row in
            ClientNumber(
                number: row[0].string ?? "", match: row[1].string.flatMap(ClientNumber.Match.init(rawValue:)) ?? .exact,
                code: row[2].string ?? "", blocked: row[3].bool ?? false, note: row[4].string ?? ""
            )
        }
    }

    /// Every default, by site name, kind and value.
    package func defaults() throws -> [CodeDefault] { try self.defaults(Spec.defaults.sorted) }

    /// The rows `sql` selects, in the columns of ``Spec/currentSQL``.
    func defaults(_ sql: String, _ parameters: [PostgresValue] = []) throws -> [CodeDefault] {
        try self.connection.execute(sql, parameters).map { row in
            CodeDefault(
                site: row[0].string ?? "", kind: row[1].string.flatMap(CodeDefault.Kind.init(rawValue:)) ?? .extension,
                value: row[2].string ?? "", code: row[3].string ?? ""
            )
        }
    }

    /// Every timekeeper, by id.
    package func timekeepers() throws -> [Timekeeper] { try self.timekeepers(Spec.timekeepers.sorted) }

    /// The rows `sql` selects, in the columns of ``Spec/currentSQL``.
    func timekeepers(_ sql: String, _ parameters: [PostgresValue] = []) throws -> [Timekeeper] {
        try self.connection.execute(sql, parameters).map { row in
            Timekeeper(
                id: row[0].string ?? "", name: row[1].string ?? "", classification: row[2].string ?? "",
                site: row[3].string, extension: row[4].string, userName: row[5].string
            )
        }
    }

    /// Every rate plan, by id.
    package func plans() throws -> [RatePlan] { try self.plans(Spec.plans.sorted) }

    /// The rows `sql` selects, in the columns of ``Spec/currentSQL``.
    func plans(_ sql: String, _ parameters: [PostgresValue] = []) throws -> [RatePlan] {
        try self.connection.execute(sql, parameters).map { row in
            RatePlan(
                id: row[0].string ?? "", hourlyRate: row[1].string.flatMap(DecimalText.parse) ?? ExactDecimal(units: 0, scale: 0),
                currency: row[2].string ?? "", incrementSeconds: row[3].int ?? 0, minimumSeconds: row[4].int ?? 0,
                graceSeconds: row[5].int ?? 0, rounding: row[6].string.flatMap(RatePlan.Rounding.init(rawValue:)) ?? .up,
                scope: row[7].string.flatMap(RatePlan.Scope.init(rawValue:)) ?? .leg, billHoldTime: row[8].bool ?? false,
                carrierMarkupPercent: row[9].string.flatMap(DecimalText.parse)
            )
        }
    }

    /// Every rate assignment (site by name), by site, client, matter, timekeeper, start and plan.
    package func rates() throws -> [RateAssignment] { try self.rates(Spec.rates.sorted) }

    /// The rows `sql` selects, in the columns of ``Spec/currentSQL``.
    func rates(_ sql: String, _ parameters: [PostgresValue] = []) throws -> [RateAssignment] {
        try self.connection.execute(sql, parameters).map { row in
            RateAssignment(
                planID: row[0].string ?? "", clientID: row[1].string, matterID: row[2].string, timekeeperID: row[3].string,
                site: row[4].string, effectiveFrom: row[5].string.flatMap { LocalDateTime(iso: $0) },
                effectiveTo: row[6].string.flatMap { LocalDateTime(iso: $0) }
            )
        }
    }

    // MARK: importing

    /// Compares `rows` with the register and, unless `dryRun` or a row is refused, applies them
    /// in one transaction: upserts by key and, with `replace`, deactivates the codes (removes the
    /// other rows) the file does not have.
    ///
    /// The rows must be valid on their own (the CSV layer checks values and duplicate keys);
    /// this checks what needs the database: unknown codes and sites, and timekeepers whose
    /// extension or user name another kept timekeeper has. When it finds any, nothing is
    /// applied and ``RegisterChanges/problems`` lists them.
    ///
    /// `expecting`, when given, sees the changes (without problems) in the transaction, under
    /// the import lock, before they are applied: `false` applies nothing and throws
    /// ``RegisterChangedError`` (the web app applies only the changes its preview showed).
    @discardableResult
    package func apply(
        _ rows: RegisterRows, replace: Bool, dryRun: Bool, expecting: ((RegisterChanges) -> Bool)? = nil
    ) throws -> RegisterChanges {
        let spec = Spec.of(rows.kind)
        return try self.connection.withTransaction {
            try self.connection.execute("SELECT pg_advisory_xact_lock($1)", [.int(Self.importLockKey)])
            try self.connection.executeScript(
                "CREATE TEMP TABLE register_import (line integer NOT NULL, \(spec.stagingColumns)) ON COMMIT DROP"
            )
            try self.connection.copyIn("COPY register_import FROM STDIN") { writer in try Self.copy(rows, into: &writer) }
            return try self.compareStaged(rows.kind, count: rows.count, replace: replace, dryRun: dryRun, expecting: expecting)
        }
    }

    /// The second half of ``apply(_:replace:dryRun:)``, inside its transaction, once the rows
    /// are in `register_import`: the checks, the comparison and, unless `dryRun` or a problem,
    /// the change. `count` is the number of staged rows; `expecting` as ``apply(_:replace:dryRun:expecting:)`` takes it.
    func compareStaged(
        _ kind: RegisterKind, count: Int, replace: Bool, dryRun: Bool, expecting: ((RegisterChanges) -> Bool)? = nil
    ) throws -> RegisterChanges {
        let spec = Spec.of(kind)
        try self.connection.execute("ANALYZE register_import")

        var changes = RegisterChanges(kind: kind)
        for check in spec.checks(replace) {
            changes.problems += try self.connection.execute(check).map {
                RegisterProblem(line: $0[0].int ?? 0, column: $0[1].string ?? "", message: $0[2].string ?? "")
            }
        }
        changes.problems.sort()

        let keyJoin = spec.keys.map { "s.\($0) \(spec.keyEquals) cur.\($0)" }.joined(separator: " AND ")
        let differs = spec.values.map { "CASE WHEN s.\($0) IS DISTINCT FROM cur.\($0) THEN '\($0)' END" }.joined(separator: ", ")
        let valueRow = { (alias: String) in "(" + spec.values.map { "\(alias).\($0)" }.joined(separator: ", ") + ")" }
        let diff = try self.connection.execute(
            """
            SELECT s.line, cur.\(spec.keys[0]) IS NULL, array_to_string(ARRAY[\(differs)], ','), \(spec.keys.map { "s.\($0)" }.joined(separator: ", "))
            FROM register_import AS s LEFT JOIN (\(spec.currentSQL)) AS cur ON \(keyJoin)
            WHERE cur.\(spec.keys[0]) IS NULL OR \(valueRow("s")) IS DISTINCT FROM \(valueRow("cur"))
            ORDER BY s.line
            """
        )
        for row in diff {
            let key = (0..<spec.keys.count).map { row[3 + $0].string ?? "" }
            if row[1].bool == true {
                changes.added.append(.init(line: row[0].int ?? 0, key: key, columns: []))
            } else {
                let columns = (row[2].string ?? "").split(separator: ",").map(String.init)
                changes.changed.append(.init(line: row[0].int ?? 0, key: key, columns: columns))
            }
        }
        changes.unchanged = count - changes.added.count - changes.changed.count
        if replace {
            let keyList = spec.keys.map { "cur.\($0)" }.joined(separator: ", ")
            changes.missing = try self.connection.execute(
                """
                SELECT \(keyList) FROM (\(spec.currentSQL)) AS cur
                WHERE \(spec.kept) AND NOT EXISTS (SELECT FROM register_import AS s WHERE \(keyJoin))
                ORDER BY \(spec.order)
                """
            ).map { row in (0..<spec.keys.count).map { row[$0].string ?? "" } }
        }

        guard !dryRun, changes.problems.isEmpty else { return changes }
        if let expecting, !expecting(changes) { throw RegisterChangedError(changes: changes) }
        guard !changes.isNoChange else { return changes }
        if replace { try self.connection.executeScript(spec.replaceSQL) }
        try self.connection.executeScript(spec.applySQL)
        return changes
    }

    private static func copy(_ rows: RegisterRows, into writer: inout CopyInWriter) throws {
        switch rows {
        case .codes(let rows):
            for row in rows {
                let code = row.value
                writer.append(row.line)
                writer.append(code.code)
                writer.append(code.clientID)
                writer.append(code.clientName)
                writer.append(code.matterID)
                writer.append(code.matterID == nil ? nil : code.matterName ?? "")
                writer.append(code.description)
                writer.append(code.active)
                writer.append(code.validFrom?.description)
                writer.append(code.validTo?.description)
                try writer.endRow()
            }
        case .numbers(let rows):
            for row in rows {
                writer.append(row.line)
                writer.append(row.value.number)
                writer.append(row.value.match.rawValue)
                writer.append(row.value.code)
                writer.append(row.value.blocked)
                writer.append(row.value.note)
                try writer.endRow()
            }
        case .defaults(let rows):
            for row in rows {
                writer.append(row.line)
                writer.append(row.value.site)
                writer.append(row.value.kind.rawValue)
                writer.append(row.value.value)
                writer.append(row.value.code)
                try writer.endRow()
            }
        case .timekeepers(let rows):
            for row in rows {
                writer.append(row.line)
                writer.append(row.value.id)
                writer.append(row.value.name)
                writer.append(row.value.classification)
                writer.append(row.value.site)
                writer.append(row.value.extension)
                writer.append(row.value.userName)
                try writer.endRow()
            }
        case .plans(let rows):
            for row in rows {
                let plan = row.value
                writer.append(row.line)
                writer.append(plan.id)
                writer.append(plan.hourlyRate.description)
                writer.append(plan.currency)
                writer.append(plan.incrementSeconds)
                writer.append(plan.minimumSeconds)
                writer.append(plan.graceSeconds)
                writer.append(plan.rounding.rawValue)
                writer.append(plan.scope.rawValue)
                writer.append(plan.billHoldTime)
                writer.append(plan.carrierMarkupPercent?.description)
                try writer.endRow()
            }
        case .rates(let rows):
            for row in rows {
                let rate = row.value
                writer.append(row.line)
                writer.append(rate.planID)
                writer.append(rate.clientID)
                writer.append(rate.matterID)
                writer.append(rate.timekeeperID)
                writer.append(rate.site)
                writer.append(rate.effectiveFrom?.description)
                writer.append(rate.effectiveTo?.description)
                try writer.endRow()
            }
        }
    }
}

extension RegisterStore {
    /// The SQL of one kind: its staging table, the register in the same columns, the checks
    /// and the statements that apply a file.
    struct Spec: Sendable {
        /// Column definitions of `register_import` after `line`, in ``RegisterKind/columns`` order.
        var stagingColumns: String
        var keys: [String]
        /// How a staged key column is compared with a registered one: `IS NOT DISTINCT FROM` where
        /// a key column may be NULL (rates), else `=` (which lets the planner hash-join).
        var keyEquals = "="
        var values: [String]
        /// The register in the staging columns (without `line`).
        var currentSQL: String
        /// Which registered rows `--replace` acts on when the file lacks them (alias `cur`).
        var kept = "true"
        /// Queries returning (line, column, message) for rows the database refuses; the argument is `replace`.
        var checks: @Sendable (Bool) -> [String] = { _ in [] }
        /// Applied after ``replaceSQL`` (when replacing): upserts the staged rows.
        var applySQL: String
        /// With `--replace`: deactivates or deletes registered rows the file lacks.
        var replaceSQL: String

        /// The ORDER BY list of export (alias `cur`); by default the keys, byte-wise (whatever
        /// the database collation).
        var orderBy: String?

        var order: String { self.orderBy ?? self.keys.map { "cur.\($0) COLLATE \"C\"" }.joined(separator: ", ") }

        /// The register sorted as export writes it.
        var sorted: String { "SELECT * FROM (\(self.currentSQL)) AS cur ORDER BY \(self.order)" }

        static func of(_ kind: RegisterKind) -> Spec {
            switch kind {
            case .codes: .codes
            case .numbers: .numbers
            case .defaults: .defaults
            case .timekeepers: .timekeepers
            case .plans: .plans
            case .rates: .rates
            }
        }

        /// A check that the code of each staged row is registered.
        static let codeIsRegistered = """
            SELECT s.line, 'code', s.code || ' is not a registered code; expected a code of the codes file (import it first with smdr register import codes)'
            FROM register_import AS s WHERE NOT EXISTS (SELECT FROM smdr.account_code AS a WHERE a.code = s.code)
            """

        /// A check that the site of each staged row exists.
        static let siteExists = """
            SELECT s.line, 'site', 'no site named ' || s.site || '; expected a site of smdr site list'
                || coalesce(' (' || (SELECT string_agg(name, ', ' ORDER BY name) FROM smdr.site) || ')', ' (there is none yet: add it with smdr site add)')
            FROM register_import AS s WHERE s.site IS NOT NULL AND NOT EXISTS (SELECT FROM smdr.site AS t WHERE t.name = s.site)
            """

        static let codes = Spec(
            stagingColumns: """
                code text NOT NULL, client_id text NOT NULL, client_name text NOT NULL, matter_id text, matter_name text,
                description text NOT NULL, active boolean NOT NULL, valid_from date, valid_to date
                """,
            keys: ["code"],
            values: ["client_id", "client_name", "matter_id", "matter_name", "description", "active", "valid_from", "valid_to"],
            currentSQL: """
                SELECT a.code, a.client_id, c.name AS client_name, a.matter_id, m.name AS matter_name, a.description,
                    a.active, a.valid_from, a.valid_to
                FROM smdr.account_code AS a JOIN smdr.client AS c ON c.client_id = a.client_id
                LEFT JOIN smdr.matter AS m ON m.client_id = a.client_id AND m.matter_id = a.matter_id
                """,
            kept: "cur.active",
            applySQL: """
                INSERT INTO smdr.client (client_id, name)
                SELECT DISTINCT client_id, client_name FROM register_import
                ON CONFLICT (client_id) DO UPDATE SET name = excluded.name WHERE client.name IS DISTINCT FROM excluded.name;
                INSERT INTO smdr.matter (client_id, matter_id, name)
                SELECT DISTINCT client_id, matter_id, matter_name FROM register_import WHERE matter_id IS NOT NULL
                ON CONFLICT (client_id, matter_id) DO UPDATE SET name = excluded.name WHERE matter.name IS DISTINCT FROM excluded.name;
                INSERT INTO smdr.account_code AS a (code, client_id, matter_id, description, active, valid_from, valid_to)
                SELECT code, client_id, matter_id, description, active, valid_from, valid_to FROM register_import
                ON CONFLICT (code) DO UPDATE SET client_id = excluded.client_id, matter_id = excluded.matter_id,
                    description = excluded.description, active = excluded.active, valid_from = excluded.valid_from,
                    valid_to = excluded.valid_to, updated_at = now()
                WHERE (a.client_id, a.matter_id, a.description, a.active, a.valid_from, a.valid_to)
                    IS DISTINCT FROM (excluded.client_id, excluded.matter_id, excluded.description, excluded.active,
                                      excluded.valid_from, excluded.valid_to);
                """,
            replaceSQL: """
                UPDATE smdr.account_code AS a SET active = false, updated_at = now()
                WHERE a.active AND NOT EXISTS (SELECT FROM register_import AS s WHERE s.code = a.code);
                """
        )

        static let numbers = Spec(
            stagingColumns: "number text NOT NULL, match text NOT NULL, code text NOT NULL, blocked boolean NOT NULL, note text NOT NULL",
            keys: ["number"],
            values: ["match", "code", "blocked", "note"],
            currentSQL: "SELECT number, match, code, blocked, note FROM smdr.client_number",
            checks: { _ in [Spec.codeIsRegistered] },
            applySQL: """
                INSERT INTO smdr.client_number AS n (number, match, code, blocked, note)
                SELECT number, match, code, blocked, note FROM register_import
                ON CONFLICT (number) DO UPDATE SET match = excluded.match, code = excluded.code, blocked = excluded.blocked,
                    note = excluded.note, updated_at = now()
                WHERE (n.match, n.code, n.blocked, n.note) IS DISTINCT FROM (excluded.match, excluded.code, excluded.blocked, excluded.note);
                """,
            replaceSQL: """
                DELETE FROM smdr.client_number AS n WHERE NOT EXISTS (SELECT FROM register_import AS s WHERE s.number = n.number);
                """
        )

        static let defaults = Spec(
            stagingColumns: "site text NOT NULL, kind text NOT NULL, value text NOT NULL, code text NOT NULL",
            keys: ["site", "kind", "value"],
            values: ["code"],
            currentSQL: """
                SELECT t.name AS site, d.kind, d.value, d.code FROM smdr.code_default AS d JOIN smdr.site AS t ON t.id = d.site_id
                """,
            checks: { _ in [Spec.siteExists, Spec.codeIsRegistered] },
            applySQL: """
                INSERT INTO smdr.code_default AS d (site_id, kind, value, code)
                SELECT t.id, s.kind, s.value, s.code FROM register_import AS s JOIN smdr.site AS t ON t.name = s.site
                ON CONFLICT (site_id, kind, value) DO UPDATE SET code = excluded.code WHERE d.code IS DISTINCT FROM excluded.code;
                """,
            replaceSQL: """
                DELETE FROM smdr.code_default AS d USING smdr.site AS t
                WHERE t.id = d.site_id
                    AND NOT EXISTS (SELECT FROM register_import AS s WHERE s.site = t.name AND s.kind = d.kind AND s.value = d.value);
                """
        )

        static let timekeepers = Spec(
            stagingColumns: "timekeeper_id text NOT NULL, name text NOT NULL, classification text NOT NULL, site text, extension text, user_name text",
            keys: ["timekeeper_id"],
            values: ["name", "classification", "site", "extension", "user_name"],
            currentSQL: """
                SELECT k.timekeeper_id, k.name, k.classification, t.name AS site, k.extension, k.user_name
                FROM smdr.timekeeper AS k LEFT JOIN smdr.site AS t ON t.id = k.site_id
                """,
            checks: { replace in
                [Spec.siteExists] + (replace ? [Spec.stillAssigned("timekeeper_id", noun: "timekeeper", table: "timekeeper")] : [])
                    + [("extension", "extension"), ("user_name", "user name")].map { column, words in
                    // Rows in the file are unique among themselves (checked before); a clash can
                    // only be with a registered timekeeper the file does not mention and that stays.
                    """
                    SELECT s.line, '\(column)', s.\(column) || ' at ' || coalesce('site ' || s.site, 'any site')
                        || ' is already the \(words) of timekeeper ' || k.timekeeper_id
                        || '; expected one timekeeper per \(words) of a site (change or remove ' || k.timekeeper_id || ' in the same file)'
                    FROM register_import AS s
                    JOIN smdr.timekeeper AS k ON k.\(column) = s.\(column) AND k.timekeeper_id <> s.timekeeper_id
                    LEFT JOIN smdr.site AS t ON t.id = k.site_id
                    WHERE t.name IS NOT DISTINCT FROM s.site AND NOT \(replace)
                        AND NOT EXISTS (SELECT FROM register_import AS o WHERE o.timekeeper_id = k.timekeeper_id)
                    """
                }
            },
            applySQL: """
                UPDATE smdr.timekeeper AS k SET extension = NULL, user_name = NULL
                FROM register_import AS s LEFT JOIN smdr.site AS t ON t.name = s.site
                WHERE k.timekeeper_id = s.timekeeper_id
                    AND (k.site_id, k.extension, k.user_name) IS DISTINCT FROM (t.id, s.extension, s.user_name);
                INSERT INTO smdr.timekeeper AS k (timekeeper_id, name, classification, site_id, extension, user_name)
                SELECT s.timekeeper_id, s.name, s.classification, t.id, s.extension, s.user_name
                FROM register_import AS s LEFT JOIN smdr.site AS t ON t.name = s.site
                ON CONFLICT (timekeeper_id) DO UPDATE SET name = excluded.name, classification = excluded.classification,
                    site_id = excluded.site_id, extension = excluded.extension, user_name = excluded.user_name
                WHERE (k.name, k.classification, k.site_id, k.extension, k.user_name)
                    IS DISTINCT FROM (excluded.name, excluded.classification, excluded.site_id, excluded.extension, excluded.user_name);
                """,
            replaceSQL: """
                DELETE FROM smdr.timekeeper AS k WHERE NOT EXISTS (SELECT FROM register_import AS s WHERE s.timekeeper_id = k.timekeeper_id);
                """
        )
    }
}
