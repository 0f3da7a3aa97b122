import Foundation
public import SMDRCore

/// Recomputes the instants of a site's stored legs from their local Call Start with the site's
/// current time zone (`smdr site rederive`), after the zone was changed.
///
/// Uses ``TimeZoneResolver``, the code a load uses, with the same references (the leg's SMDR
/// Record Time, else the line's stored `received_at`), so a rederived leg gets exactly the
/// `call_start`, `time_ambiguous` and `time_nonexistent` a fresh load under the current zone
/// would give it. PostgreSQL's `AT TIME ZONE` is not used: it resolves the repeated hour after a
/// fall-back always to standard time, and reads its own copy of the zone database (see
/// `docs/decisions.md`).
///
/// All of it is one transaction holding the site's load lock, so loaders of the site wait and
/// a failure changes nothing. Legs are read through a cursor, ``chunkSize`` at a time.
public struct LegTimeRederivation: Sendable {
    public struct Counts: Hashable, Sendable {
        /// Legs in the range.
        public var examined = 0
        /// Legs whose `call_start`, `time_ambiguous` or `time_nonexistent` changed.
        public var changed = 0
    }

    /// A day, `YYYY-MM-DD`, validated.
    public struct Day: Hashable, Sendable, CustomStringConvertible {
        public let description: String

        /// `nil` unless `text` is a real date `YYYY-MM-DD`.
        public init?(_ text: String) {
            let parts = text.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
                  let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
                  year >= 1, (1...12).contains(month), (1...31).contains(day)
            else { return nil }
            let civil = CivilCalendar.civil(days: CivilCalendar.days(year: year, month: month, day: day))
            guard civil.month == month, civil.day == day else { return nil }  // 2024-02-30
            self.description = text
        }
    }

    /// Legs fetched and updated per round trip.
    public static let chunkSize = 10_000

    public let site: Site
    /// First local day included (by `call_start_local`); `nil`: from the first leg.
    public let from: Day?
    /// Last local day included; `nil`: up to the last leg.
    public let to: Day?

    public init(site: Site, from: Day? = nil, to: Day? = nil) {
        self.site = site
        self.from = from
        self.to = to
    }

    /// Recomputes and stores the times of the legs in range, in one transaction.
    ///
    /// - Throws: ``SiteError`` when the site's zone is unknown to this system; ``PostgresError``.
    public func run(on connection: PostgresConnection) throws -> Counts {
        let zone = try self.site.resolvedTimeZone()
        let siteID = try self.site.storedID()
        return try connection.withTransaction {
            try connection.execute(
                "SELECT pg_advisory_xact_lock($1::int, $2::int)", [.int(IngestStore.loadLockClass), .int(siteID)]
            )
            // The values are an integer and validated dates, so they are safe in the text of DECLARE.
            var conditions = ["l.site_id = \(siteID)"]
            if let from = self.from { conditions.append("l.call_start_local >= DATE '\(from)'") }
            if let to = self.to { conditions.append("l.call_start_local < DATE '\(to)' + 1") }
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
            var resolver = TimeZoneResolver(timeZone: zone)
            var counts = Counts()
            while true {
                let rows = try connection.execute("FETCH \(Self.chunkSize) FROM smdr_rederive")
                if rows.isEmpty { break }
                counts.examined += rows.count
                var changed: [(row: PostgresRow, time: TimeZoneResolver.Resolution)] = []
                for row in rows {
                    guard let naive = row[4].int, let receivedAt = row[6].int else { continue }
                    let time = resolver.resolve(
                        Self.local(Int64(naive)),
                        recordTime: row[5].int.map { Self.local(Int64($0)) },
                        receivedAt: Date(timeIntervalSince1970: TimeInterval(receivedAt))
                    )
                    if row[7].int != Int(time.epochSeconds) || row[8].bool != time.isAmbiguous
                        || row[9].bool != time.isNonexistent
                    {
                        changed.append((row, time))
                    }
                }
                try self.store(changed, siteID: siteID, on: connection)
                counts.changed += changed.count
            }
            try connection.executeScript("CLOSE smdr_rederive")
            return counts
        }
    }

    /// Updates the legs, keyed by their primary key, in one statement.
    private func store(
        _ changed: [(row: PostgresRow, time: TimeZoneResolver.Resolution)], siteID: Int, on connection: PostgresConnection
    ) throws {
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
                array(changed.map { $0.row[0].string ?? "" }),
                array(changed.map { $0.row[1].string ?? "" }),
                array(changed.map { $0.row[2].string ?? "" }),
                array(changed.map { $0.row[3].string ?? "" }),
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
