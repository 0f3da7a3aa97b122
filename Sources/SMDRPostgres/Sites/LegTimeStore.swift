package import Foundation
package import SMDRCore

/// Reads and rewrites the resolved times of a site's stored legs, for `smdr site rederive`.
///
/// The store decides nothing: ``revise(siteID:from:to:on:_:)`` hands each chunk of legs to the
/// caller, which resolves them (as a load would) and returns the ones whose time changed.
package enum LegTimeStore {
    /// One stored leg, as much of it as resolving its time needs.
    package struct Leg: Sendable {
        /// The leg's primary key, as text, for the update.
        fileprivate var key: (callMonth: String, callID: String, callStartLocal: String, ordinal: String)
        /// Call Start, the PBX wall-clock time.
        package var callStartLocal: LocalDateTime
        /// SMDR Record Time (UTC), when the record had it.
        package var recordTime: LocalDateTime?
        /// When the line arrived (`raw_record.received_at`).
        package var receivedAt: Date
        /// What is stored now.
        package var stored: ResolvedTime
    }

    /// Legs fetched and updated per round trip.
    package static let chunkSize = 10_000

    /// Hands the site's legs with a local Call Start from `from` up to and including `to`
    /// (`YYYY-MM-DD`, validated by the caller; `nil`: unbounded) to `revise`, ``chunkSize`` at a
    /// time, and stores the times it returns; returns the legs examined and changed.
    ///
    /// All of it is one transaction holding the site's load lock (loaders of the site wait), so
    /// a failure changes nothing.
    package static func revise(
        siteID: Int,
        from: String?,
        to: String?,
        on connection: PostgresConnection,
        _ revise: ([Leg]) throws -> [(leg: Leg, time: ResolvedTime)]
    ) throws -> (examined: Int, changed: Int) {
        try connection.withTransaction {
            try connection.execute(
                "SELECT pg_advisory_xact_lock($1::int, $2::int)", [.int(IngestStore.loadLockClass), .int(siteID)]
            )
            // The values are an integer and validated dates, so they are safe in the text of DECLARE.
            var conditions = ["l.site_id = \(siteID)"]
            if let from { conditions.append("l.call_start_local >= DATE '\(from)'") }
            if let to { conditions.append("l.call_start_local < DATE '\(to)' + 1") }
            try connection.executeScript(
                """
                DECLARE smdr_rederive NO SCROLL CURSOR FOR
                SELECT l.call_month, l.call_id, l.call_start_local, l.leg_ordinal,
                       extract(epoch FROM l.call_start_local)::bigint, extract(epoch FROM l.record_time)::bigint,
                       floor(extract(epoch FROM r.received_at))::bigint, extract(epoch FROM l.call_start)::bigint,
                       l.time_ambiguous, l.time_nonexistent
                FROM smdr.call_leg AS l
                JOIN smdr.raw_record AS r ON r.site_id = l.site_id AND r.call_month = l.call_month AND r.sha256 = l.raw_sha256
                WHERE \(conditions.joined(separator: " AND "))
                """
            )
            var examined = 0
            var changed = 0
            while true {
                let rows = try connection.execute("FETCH \(Self.chunkSize) FROM smdr_rederive")
                if rows.isEmpty { break }
                examined += rows.count
                let legs = rows.compactMap { row -> Leg? in
                    guard let naive = row[4].int, let receivedAt = row[6].int, let stored = row[7].int else { return nil }
                    return Leg(
                        key: (row[0].string ?? "", row[1].string ?? "", row[2].string ?? "", row[3].string ?? ""),
                        callStartLocal: Self.local(Int64(naive)),
                        recordTime: row[5].int.map { Self.local(Int64($0)) },
                        receivedAt: Date(timeIntervalSince1970: TimeInterval(receivedAt)),
                        stored: ResolvedTime(
                            epochSeconds: Int64(stored), isAmbiguous: row[8].bool ?? false, isNonexistent: row[9].bool ?? false
                        )
                    )
                }
                let revised = try revise(legs)
                try Self.store(revised, siteID: siteID, on: connection)
                changed += revised.count
            }
            try connection.executeScript("CLOSE smdr_rederive")
            return (examined, changed)
        }
    }

    /// Updates the legs, keyed by their primary key, in one statement.
    private static func store(_ changed: [(leg: Leg, time: ResolvedTime)], siteID: Int, on connection: PostgresConnection) throws {
        guard !changed.isEmpty else { return }
        func array(_ values: [String]) -> PostgresValue {
            .text("{" + values.map { "\"" + $0 + "\"" }.joined(separator: ",") + "}")
        }
        try connection.execute(
            """
            UPDATE smdr.call_leg AS l
            SET call_start = to_timestamp(u.call_start), time_ambiguous = u.ambiguous, time_nonexistent = u.nonexistent
            FROM unnest($2::date[], $3::bigint[], $4::timestamp[], $5::int[], $6::bigint[], $7::boolean[], $8::boolean[])
                AS u(call_month, call_id, call_start_local, leg_ordinal, call_start, ambiguous, nonexistent)
            WHERE l.site_id = $1 AND l.call_month = u.call_month AND l.call_id = u.call_id
              AND l.call_start_local = u.call_start_local AND l.leg_ordinal = u.leg_ordinal
            """,
            [
                .int(siteID),
                array(changed.map { $0.leg.key.callMonth }),
                array(changed.map { $0.leg.key.callID }),
                array(changed.map { $0.leg.key.callStartLocal }),
                array(changed.map { $0.leg.key.ordinal }),
                array(changed.map { String($0.time.epochSeconds) }),
                array(changed.map { $0.time.isAmbiguous ? "t" : "f" }),
                array(changed.map { $0.time.isNonexistent ? "t" : "f" }),
            ]
        )
    }

    /// The wall-clock value whose naive seconds (read as UTC) are `seconds`.
    private static func local(_ seconds: Int64) -> LocalDateTime {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        let (year, month, day) = CivilCalendar.civil(days: Int(days))
        return LocalDateTime(
            year: year, month: month, day: day, hour: secondOfDay / 3600, minute: secondOfDay / 60 % 60, second: secondOfDay % 60
        )
    }
}
