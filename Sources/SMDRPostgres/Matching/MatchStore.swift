package import SMDRCore
package import SMDRRating

/// Reads the legs and manual assignments of a period and replaces its matches: the storage side of
/// `smdr match`. The store decides nothing (``MatchRun`` in SMDRPipeline stitches and matches).
package enum MatchStore {
    /// Rows of `leg_match` before a replacement, by rule.
    package typealias RuleCounts = [MatchRule: Int]

    /// Advisory lock class held while matches are replaced or a code is assigned, so an
    /// assignment never falls between a run's read and its write (`smdr.assign_call` takes it too).
    package static let matchLockKey = "smdr.leg_match"

    /// How long replacing a month's partition waits for readers of `leg_match` before it fails
    /// (`lock_timeout`): 10 s.
    package static let swapLockTimeout = "10s"

    /// Takes the matching lock for the rest of the transaction.
    package static func lock(on connection: PostgresConnection) throws {
        try connection.execute("SELECT pg_advisory_xact_lock(hashtext($1))", [.text(Self.matchLockKey)])
    }

    /// How far, in instants, the legs with a site's earliest (latest) local Call Start can lie
    /// from its earliest (latest) instant: 2 days. A leg's local start is its instant plus an
    /// offset of at most −12 h … +14 h (an hour more for a DST choice), so two legs' order by
    /// local start can differ from their order by instant only within 27 h.
    package static let legDaysMarginDays = 2

    /// The first and last local day with legs, `nil` when there are none.
    ///
    /// `call_start_local` has no index of its own (every index on `call_leg` slows the loader);
    /// a `min`/`max` over it reads every leg (0.3 s at 1M legs, twice per rating run). Per site,
    /// the first and last instants come from `call_leg_site_time_idx`, then only the legs within
    /// ``legDaysMarginDays`` of them are read for their local starts: the same days, exactly.
    package static func legDays(on connection: PostgresConnection) throws -> ClosedRange<LocalDate>? {
        let sites = try connection.execute(
            """
            SELECT s.id, t.first::text, t.last::text
            FROM smdr.site AS s
            CROSS JOIN LATERAL (SELECT min(l.call_start) AS first, max(l.call_start) AS last FROM smdr.call_leg AS l WHERE l.site_id = s.id) AS t
            WHERE t.first IS NOT NULL
            """
        )
        var days: ClosedRange<LocalDate>?
        for site in sites {
            guard let id = site[0].int, let earliest = site[1].string, let latest = site[2].string else { continue }
            // Instants as parameters (not a join), so the planner sees how few legs are near them.
            let row = try connection.execute(
                """
                SELECT (SELECT min(l.call_start_local) FROM smdr.call_leg AS l
                        WHERE l.site_id = $1 AND l.call_start < $2::timestamptz + make_interval(days => $4))::date::text,
                       (SELECT max(l.call_start_local) FROM smdr.call_leg AS l
                        WHERE l.site_id = $1 AND l.call_start > $3::timestamptz - make_interval(days => $4))::date::text
                """,
                [.int(id), .text(earliest), .text(latest), .int(Self.legDaysMarginDays)]
            )[0]
            guard let first = row[0].string.flatMap(LocalDate.init(iso:)), let last = row[1].string.flatMap(LocalDate.init(iso:)) else {
                continue
            }
            days = min(days?.lowerBound ?? first, first)...max(days?.upperBound ?? last, last)
        }
        return days
    }

    /// Every leg of every site whose local Call Start falls on a day in `days`.
    ///
    /// A leg's `call_month` is the month of its local Call Start (``CallMonth``: read from the
    /// line's first bytes), or 0001-01-01 for a line that does not start with its date: only
    /// those partitions are read, not an index probe in every month's.
    package static func legs(on days: ClosedRange<LocalDate>, on connection: PostgresConnection) throws -> [MatchLeg] {
        var legs: [MatchLeg] = []
        // Dates are validated values, so they are safe in the text of COPY (which takes no parameters).
        try connection.copyOut(
            """
            COPY (SELECT \(MatchLegRow.selectList) FROM smdr.call_leg AS l
                  WHERE l.call_start_local >= DATE '\(days.lowerBound)' AND l.call_start_local < DATE '\(days.upperBound)' + 1
                    AND (l.call_month BETWEEN DATE '\(days.lowerBound.firstOfMonth)' AND DATE '\(days.upperBound.firstOfMonth)'
                         OR l.call_month = DATE '\(CallMonth.unparsed)'))
            TO STDOUT
            """
        ) { row in
            legs.append(MatchLegRow.leg(from: row))
        }
        return legs
    }

    /// The manual assignments of calls starting on a day in `days`, each with its code's client
    /// and matter as registered now.
    package static func manualAssignments(on days: ClosedRange<LocalDate>, on connection: PostgresConnection) throws -> [ManualAssignment] {
        try connection.execute(
            """
            SELECT m.site_id, m.call_id, m.call_start_local::text, m.code, m.note, m.assigned_by, a.client_id, a.matter_id
            FROM smdr.manual_assignment AS m JOIN smdr.account_code AS a ON a.code = m.code
            WHERE m.call_start_local >= $1::date AND m.call_start_local < $2::date + 1
            """,
            [.text(days.lowerBound.description), .text(days.upperBound.description)]
        ).map { row in
            guard let siteID = row[0].int, let callID = row[1].int, let start = row[2].string.flatMap({ LocalDateTime(iso: $0) }),
                let code = row[3].string, let clientID = row[6].string
            else {
                throw PostgresError(code: .unexpectedResult, message: "smdr.manual_assignment row not understood: \(row.cells)")
            }
            return ManualAssignment(
                call: CallKey(siteID: siteID, callID: callID, startLocal: start), code: code, note: row[4].string ?? "",
                assignedBy: row[5].string ?? "", clientID: clientID, matterID: row[7].string
            )
        }
    }

    /// Replaces the matches of the calls starting on a day in `days` (within one calendar month)
    /// with `matches` (whose calls all start in `days`); returns the rows replaced, by rule.
    ///
    /// When `days` is the whole month, the rows go into a new table, indexed after loading (a bulk
    /// index build costs a fraction of index upkeep per row), which then replaces the month's
    /// partition: readers see the old month until commit, then the new one. Otherwise the days'
    /// rows are deleted and the new ones copied into the month's partition.
    package static func replace(
        on days: ClosedRange<LocalDate>, wholeMonth: Bool, with matches: [LegMatch], on connection: PostgresConnection
    ) throws -> RuleCounts {
        let month = days.lowerBound.firstOfMonth
        let next = month.firstOfNextMonth
        let partition = "leg_match_y\(month.description.prefix(4))m\(month.description.dropFirst(5).prefix(2))"
        // Names and dates are made here from validated dates, so they are safe in the SQL text.
        let bounds = "FROM ('\(month)') TO ('\(next)')"
        let comment = "COMMENT ON TABLE smdr.\(partition) IS 'Partition of leg_match for calls starting in \(month.description.prefix(7)).'"
        let exists = try connection.execute("SELECT to_regclass($1) IS NOT NULL", [.text("smdr." + partition)])[0][0].bool ?? false
        guard wholeMonth else {
            try connection.execute("DELETE FROM smdr.leg_match_digest WHERE month = $1::date", [.text(month.description)])
            if !exists {
                try connection.executeScript("CREATE TABLE smdr.\(partition) PARTITION OF smdr.leg_match FOR VALUES \(bounds); \(comment)")
            }
            let before = try Self.counts(
                """
                WITH deleted AS (
                    DELETE FROM smdr.\(partition) WHERE call_start_local >= DATE '\(days.lowerBound)' AND call_start_local < DATE '\(days.upperBound)' + 1
                    RETURNING match_rule
                )
                SELECT match_rule, count(*) FROM deleted GROUP BY match_rule
                """,
                on: connection
            )
            try Self.copy(matches, into: partition, on: connection)
            try Self.refreshTimekeeperCodeCalls(month, on: connection)
            return before
        }
        // The same rows as last written whole: leave the partition as it is.
        let encoded = Self.encode(matches)
        let digest = SHA256.hash(encoded)
        if exists, try connection.execute(
            "SELECT digest = $2::bytea FROM smdr.leg_match_digest WHERE month = $1::date", [.text(month.description), .bytes(digest)]
        ).first?[0].bool == true {
            return matches.reduce(into: [:]) { $0[$1.rule, default: 0] += 1 }
        }
        let staging = partition + "_next"
        try connection.executeScript(
            """
            DROP TABLE IF EXISTS smdr.\(staging);
            CREATE TABLE smdr.\(staging) (LIKE smdr.leg_match INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
            ALTER TABLE smdr.\(staging) ADD CONSTRAINT leg_match_month CHECK (call_start_local >= DATE '\(month)' AND call_start_local < DATE '\(next)')
            """
        )
        try connection.copyIn("COPY smdr.\(staging) (\(LegMatchRow.columnList)) FROM STDIN") { try $0.write(encoded: encoded) }
        // The parent's indexes (schema/030_matching.sql, 050_web.sql), built once over the loaded rows; ATTACH
        // adopts them (one it did not find would be built there, slower, not wrongly).
        let indexes = [
            ("pkey", "PRIMARY KEY (site_id, call_id, call_start_local, leg_start_local, leg_ordinal)"),
            ("unassigned_idx", "(site_id, call_start_local) WHERE match_rule = 'unassigned'"),
            ("external_e164_idx", "(external_e164, code) WHERE client_id IS NOT NULL"),
            ("timekeeper_idx", "(timekeeper_id, code) WHERE client_id IS NOT NULL"),
            // schema/050_web.sql: the web app's calls page and review queue.
            ("call_start_idx", "(call_start_local)"),
            ("unassigned_timekeeper_idx", "(timekeeper_id, site_id, call_start_local) WHERE match_rule = 'unassigned'"),
        ]
        try connection.executeScript(
            indexes.map { name, definition in
                definition.hasPrefix("PRIMARY KEY")
                    ? "ALTER TABLE smdr.\(staging) ADD CONSTRAINT \(staging)_\(name) \(definition)"
                    : "CREATE INDEX \(staging)_\(name) ON smdr.\(staging) \(definition)"
            }.joined(separator: ";\n")
        )
        // Swapping locks leg_match for its readers until commit: wait for a long query at most
        // swapLockTimeout, then fail (the run can be repeated) rather than queue every reader.
        try connection.execute("SELECT set_config('lock_timeout', $1, true)", [.text(Self.swapLockTimeout)])
        var before: RuleCounts = [:]
        if exists {
            before = try Self.counts("SELECT match_rule, count(*) FROM smdr.\(partition) GROUP BY match_rule", on: connection)
            try connection.executeScript("ALTER TABLE smdr.leg_match DETACH PARTITION smdr.\(partition); DROP TABLE smdr.\(partition)")
        }
        try connection.executeScript(
            (
                [
                    "ALTER TABLE smdr.leg_match ATTACH PARTITION smdr.\(staging) FOR VALUES \(bounds)",
                    "ALTER TABLE smdr.\(staging) DROP CONSTRAINT leg_match_month",
                    "ALTER TABLE smdr.\(staging) RENAME TO \(partition)",
                    comment,
                ]
                    + indexes.map { name, definition in
                        definition.hasPrefix("PRIMARY KEY")
                            ? "ALTER TABLE smdr.\(partition) RENAME CONSTRAINT \(staging)_\(name) TO \(partition)_\(name)"
                            : "ALTER INDEX smdr.\(staging)_\(name) RENAME TO \(partition)_\(name)"
                    }
            ).joined(separator: ";\n")
        )
        try connection.execute("SELECT set_config('lock_timeout', '0', true)")
        try connection.execute(
            """
            INSERT INTO smdr.leg_match_digest (month, digest) VALUES ($1::date, $2::bytea)
            ON CONFLICT (month) DO UPDATE SET digest = EXCLUDED.digest, written_at = now()
            """,
            [.text(month.description), .bytes(digest)]
        )
        try Self.refreshTimekeeperCodeCalls(month, on: connection)
        return before
    }

    /// Rewrites the month's calls per timekeeper and code (`smdr.timekeeper_code_calls`, the review
    /// queue's suggestions) after its matches changed.
    private static func refreshTimekeeperCodeCalls(_ month: LocalDate, on connection: PostgresConnection) throws {
        try connection.execute("SELECT smdr.refresh_timekeeper_code_calls($1::date)", [.text(month.description)])
    }

    private static func counts(_ sql: String, on connection: PostgresConnection) throws -> RuleCounts {
        var counts: RuleCounts = [:]
        for row in try connection.execute(sql) {
            if let rule = row[0].string.flatMap(MatchRule.init(rawValue:)) { counts[rule] = row[1].int ?? 0 }
        }
        return counts
    }

    /// The rows as `COPY` text.
    private static func encode(_ matches: [LegMatch]) -> [UInt8] {
        var encoder = CopyTextEncoder()
        for match in matches { LegMatchRow.encode(match, into: &encoder) }
        return encoder.bytes
    }

    private static func copy(_ matches: [LegMatch], into table: String, on connection: PostgresConnection) throws {
        try connection.copyIn("COPY smdr.\(table) (\(LegMatchRow.columnList)) FROM STDIN") { writer in
            var encoder = CopyTextEncoder()
            for match in matches {
                LegMatchRow.encode(match, into: &encoder)
                if encoder.bytes.count >= PostgresConnection.defaultCopyFlushThreshold {
                    try writer.write(encoded: encoder.bytes)
                    encoder.bytes.removeAll(keepingCapacity: true)
                }
            }
            try writer.write(encoded: encoder.bytes)
        }
    }
}
