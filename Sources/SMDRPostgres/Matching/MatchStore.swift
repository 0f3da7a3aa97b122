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

    /// Takes the matching lock for the rest of the transaction.
    package static func lock(on connection: PostgresConnection) throws {
        try connection.execute("SELECT pg_advisory_xact_lock(hashtext($1))", [.text(Self.matchLockKey)])
    }

    /// The first and last local day with legs, `nil` when there are none.
    package static func legDays(on connection: PostgresConnection) throws -> ClosedRange<LocalDate>? {
        let row = try connection.execute(
            "SELECT min(call_start_local)::date::text, max(call_start_local)::date::text FROM smdr.call_leg"
        )[0]
        guard let first = row[0].string.flatMap(LocalDate.init(iso:)), let last = row[1].string.flatMap(LocalDate.init(iso:)) else {
            return nil
        }
        return first...last
    }

    /// Every leg of every site whose local Call Start falls on a day in `days`.
    package static func legs(on days: ClosedRange<LocalDate>, on connection: PostgresConnection) throws -> [MatchLeg] {
        try connection.execute("SET LOCAL DateStyle = 'ISO, YMD'")
        var legs: [MatchLeg] = []
        // Dates are validated values, so they are safe in the text of COPY (which takes no parameters).
        try connection.copyOut(
            """
            COPY (SELECT \(MatchLegRow.selectList) FROM smdr.call_leg AS l
                  WHERE l.call_start_local >= DATE '\(days.lowerBound)' AND l.call_start_local < DATE '\(days.upperBound)' + 1)
            TO STDOUT
            """
        ) { row in
            legs.append(MatchLegRow.leg(from: row))
        }
        return legs
    }

    /// The manual assignments of calls starting on a day in `days`.
    package static func manualAssignments(on days: ClosedRange<LocalDate>, on connection: PostgresConnection) throws -> [ManualAssignment] {
        try connection.execute("SET LOCAL DateStyle = 'ISO, YMD'")
        return try connection.execute(
            """
            SELECT site_id, call_id, call_start_local::text, code, note, assigned_by
            FROM smdr.manual_assignment
            WHERE call_start_local >= $1::date AND call_start_local < $2::date + 1
            """,
            [.text(days.lowerBound.description), .text(days.upperBound.description)]
        ).compactMap { row in
            guard let start = row[2].string.flatMap({ LocalDateTime(iso: $0) }) else { return nil }
            return ManualAssignment(
                call: CallKey(siteID: row[0].int ?? 0, callID: row[1].int ?? 0, startLocal: start),
                code: row[3].string ?? "", note: row[4].string ?? "", assignedBy: row[5].string ?? ""
            )
        }
    }

    /// Replaces the matches of the calls starting on a day in `days` with `matches` (whose calls
    /// all start in `days`); returns the rows replaced, by rule.
    package static func replace(
        on days: ClosedRange<LocalDate>, with matches: [LegMatch], on connection: PostgresConnection
    ) throws -> RuleCounts {
        let rows = try connection.execute(
            """
            WITH deleted AS (
                DELETE FROM smdr.leg_match WHERE call_start_local >= $1::date AND call_start_local < $2::date + 1
                RETURNING match_rule
            )
            SELECT match_rule, count(*) FROM deleted GROUP BY match_rule
            """,
            [.text(days.lowerBound.description), .text(days.upperBound.description)]
        )
        var before: RuleCounts = [:]
        for row in rows {
            if let rule = row[0].string.flatMap(MatchRule.init(rawValue:)) { before[rule] = row[1].int ?? 0 }
        }
        try connection.copyIn("COPY smdr.leg_match (\(LegMatchRow.columnList)) FROM STDIN") { writer in
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
        return before
    }
}
