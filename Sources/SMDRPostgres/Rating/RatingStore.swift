package import SMDRCore
package import SMDRRating

/// The storage side of rating runs (`smdr rate`): the lease that keeps runs apart, where the next
/// run starts, each day's digest, writing a run's charges, and the switch that makes them
/// current. The store decides nothing (``RateRun`` in SMDRPipeline does).
package enum RatingStore {
    /// A site's local day: the unit a run replaces.
    package struct Day: Hashable, Sendable, Comparable {
        package var siteID: Int
        package var date: LocalDate

        package init(siteID: Int, date: LocalDate) {
            self.siteID = siteID
            self.date = date
        }

        package static func < (lhs: Day, rhs: Day) -> Bool { (lhs.date, lhs.siteID) < (rhs.date, rhs.siteID) }
    }

    /// What a day's rating derived: its rows, in the rater's order.
    package struct DayRows: Sendable {
        package var charges: [Charge] = []
        package var unrated: [UnratedLeg] = []

        package init(charges: [Charge] = [], unrated: [UnratedLeg] = []) {
            self.charges = charges
            self.unrated = unrated
        }

        /// The rows as `COPY` writes them (without the run, which the table takes from the
        /// writer's transaction) and their SHA-256: equal digests, equal charges.
        package func encoded() -> EncodedDay {
            var charges = CopyTextEncoder()
            for charge in self.charges {
                ChargeRow.encodeContent(charge, into: &charges)
                charges.endRow()
            }
            var unrated = CopyTextEncoder()
            for leg in self.unrated {
                UnratedLegRow.encodeContent(leg, into: &unrated)
                unrated.endRow()
            }
            return EncodedDay(
                charges: charges.bytes, unrated: unrated.bytes, totals: [],
                digest: SHA256.hash(charges.bytes + Array("unrated\n".utf8) + unrated.bytes)
            )
        }

        /// A day's ``totals`` as `smdr.rating_day_total` rows: written with a changed day.
        package static func encoded(totals dayTotals: [BillingTotals.Key: BillingTotals], of day: Day) -> [UInt8] {
            var totals = CopyTextEncoder()
            for (key, total) in dayTotals.sorted(by: { $0.key < $1.key }) {
                totals.append(day.siteID)
                totals.append(date: day.date)
                totals.append(key.clientID)
                totals.append(key.matterID)
                totals.append(key.currency)
                totals.append(total.calls)
                totals.append(total.billedSeconds)
                totals.append(preformatted: total.amount.description)
                totals.endRow()
            }
            return totals.bytes
        }

        /// The charges summed per client, matter and currency (calls: distinct calls with a fee).
        package var totals: [BillingTotals.Key: BillingTotals] {
            var totals: [BillingTotals.Key: BillingTotals] = [:]
            var calls: [BillingTotals.Key: Set<CallKey>] = [:]
            for charge in self.charges {
                let key = BillingTotals.Key(clientID: charge.clientID, matterID: charge.matterID, currency: charge.currency)
                totals[key] = (totals[key] ?? BillingTotals()) + BillingTotals(billedSeconds: charge.billedSeconds, amount: charge.amount)
                if charge.kind == .fee { calls[key, default: []].formUnion(charge.calls) }
            }
            for (key, set) in calls { totals[key]?.calls = set.count }
            return totals
        }

        /// ``encoded()``'s digest.
        package var digest: [UInt8] { self.encoded().digest }
    }

    /// A day's rows encoded once: hashed to compare, copied as they are when they changed.
    package struct EncodedDay: Sendable {
        package var charges: [UInt8]
        package var unrated: [UInt8]
        /// `smdr.rating_day_total` rows (``DayRows/encoded(totals:of:)``), filled in for a changed day.
        package var totals: [UInt8]
        package var digest: [UInt8]
    }

    /// Where the next incremental run starts.
    package struct State: Sendable {
        /// Legs loaded at or after this instant (database time, as text) are new; `nil`: none was
        /// rated yet.
        package var loadedSince: String?
        /// First local day with a call that was not complete at the last run.
        package var pendingFrom: LocalDate?
    }

    /// Advisory lock class of the switch: two switches never interleave.
    static let switchLockKey = "smdr.rating"

    // MARK: - Lease

    /// Takes the rating lease for `seconds` when nobody holds it (or it expired); returns `nil` on
    /// success, else who holds it and until when.
    ///
    /// A run in the middle of a month holds the lease row locked (it renews in the month's
    /// transaction); that, too, is busy, at once rather than after waiting for it.
    package static func acquireLease(holder: String, seconds: Int, on connection: PostgresConnection) throws -> String? {
        try connection.withTransaction {
            let row: PostgresRow
            do {
                row = try connection.execute(
                    "SELECT lease_holder, lease_expires::text, lease_expires < now() FROM smdr.rating_state FOR UPDATE NOWAIT"
                )[0]
            } catch let error as PostgresError where error.sqlState?.rawValue == "55P03" {
                return "a run in progress (its lease is being renewed)"
            }
            if let current = row[0].string, current != holder, row[2].bool == false {
                return "\(current) (until \(row[1].string ?? "?"))"
            }
            try connection.execute(
                "UPDATE smdr.rating_state SET lease_holder = $1, lease_expires = now() + make_interval(secs => $2::integer)",
                [.text(holder), .text(String(seconds))]
            )
            return nil
        }
    }

    /// Extends the lease by `seconds` from now; throws when `holder` lost it. Called in a month's
    /// transaction, so the row stays locked until the month commits: a run that lost its lease
    /// cannot commit a month after another run took over.
    package static func renewLease(holder: String, seconds: Int, on connection: PostgresConnection) throws {
        let renewed = try connection.execute(
            "UPDATE smdr.rating_state SET lease_expires = now() + make_interval(secs => $2::integer) WHERE lease_holder = $1 RETURNING true",
            [.text(holder), .text(String(seconds))]
        )
        if renewed.isEmpty {
            throw PostgresError(code: .unexpectedResult, message: "the rating lease of \(holder) expired and was taken by another run")
        }
    }

    /// Gives the lease up.
    package static func releaseLease(holder: String, on connection: PostgresConnection) throws {
        try connection.execute(
            "UPDATE smdr.rating_state SET lease_holder = NULL, lease_expires = NULL WHERE lease_holder = $1", [.text(holder)]
        )
    }

    // MARK: - Where a run starts

    /// The state the last run left, and the database's clock now (the next state's `loadedSince`).
    package static func state(on connection: PostgresConnection) throws -> (state: State, now: String) {
        let row = try connection.execute("SELECT loaded_since::text, pending_from::text, now()::text FROM smdr.rating_state")[0]
        return (State(loadedSince: row[0].string, pendingFrom: row[1].string.flatMap(LocalDate.init(iso:))), row[2].string ?? "")
    }

    /// The local days of the calls of legs loaded, and of codes assigned, at or after `since`.
    ///
    /// A parsed line starts with its Call Start (`YYYY/MM/DD`, the leg's local day), so the day
    /// is read from the line itself: new lines are found through `raw_record`'s BRIN index on
    /// `loaded_at`, without a join to `call_leg` (which has no index on the raw line). Lines
    /// without that prefix (a byte order mark first: call_month 0001-01-01) are joined to their
    /// legs in the small 0001 partitions.
    package static func daysChanged(since: String, on connection: PostgresConnection) throws -> ClosedRange<LocalDate>? {
        let row = try connection.execute(
            """
            WITH new AS (
                SELECT r.site_id, r.call_month, r.sha256, convert_from(substring(r.line FROM 1 FOR 10), 'SQL_ASCII') AS prefix
                FROM smdr.raw_record AS r
                WHERE r.loaded_at >= $1::timestamptz AND r.parse_error IS NULL
            ), days AS (
                SELECT CASE WHEN prefix ~ '^[0-9]{4}/[0-9]{2}/[0-9]{2}$' THEN to_date(prefix, 'YYYY/MM/DD') ELSE call_month END AS day
                FROM new WHERE call_month <> DATE '0001-01-01'
                UNION ALL
                SELECT l.call_start_local::date FROM new
                JOIN smdr.call_leg AS l ON l.site_id = new.site_id AND l.call_month = new.call_month AND l.raw_sha256 = new.sha256
                WHERE new.call_month = DATE '0001-01-01' AND l.call_month = DATE '0001-01-01'
                UNION ALL
                SELECT call_start_local::date FROM smdr.manual_assignment WHERE assigned_at >= $1::timestamptz
            )
            SELECT min(day)::text, max(day)::text FROM days
            """,
            [.text(since)]
        )[0]
        guard let first = row[0].string.flatMap(LocalDate.init(iso:)), let last = row[1].string.flatMap(LocalDate.init(iso:)) else {
            return nil
        }
        return first...last
    }

    /// The closed months (first days).
    package static func closedMonths(on connection: PostgresConnection) throws -> Set<LocalDate> {
        Set(try connection.execute("SELECT month::text FROM smdr.rating_period").compactMap { $0[0].string.flatMap(LocalDate.init(iso:)) })
    }

    /// The digest of every site day in `days` that has current charges.
    package static func digests(on days: ClosedRange<LocalDate>, on connection: PostgresConnection) throws -> [Day: [UInt8]] {
        var digests: [Day: [UInt8]] = [:]
        for row in try connection.execute(
            "SELECT site_id, charge_date::text, digest FROM smdr.rating_day WHERE charge_date BETWEEN $1::date AND $2::date",
            [.text(days.lowerBound.description), .text(days.upperBound.description)]
        ) {
            guard let siteID = row[0].int, let date = row[1].string.flatMap(LocalDate.init(iso:)), let digest = row[2].bytea else { continue }
            digests[Day(siteID: siteID, date: date)] = digest
        }
        return digests
    }

    // MARK: - Totals

    /// Current charges of `days`, or of every day in `period` (of `clients`), summed per client,
    /// matter and currency, from the days' totals (`smdr.rating_day_total`).
    package static func totals(
        of days: [Day]? = nil, in period: ClosedRange<LocalDate>? = nil, clients: Set<String>? = nil, on connection: PostgresConnection
    ) throws -> [BillingTotals.Key: BillingTotals] {
        var filter: String
        var parameters: [PostgresValue] = []
        if let days {
            guard !days.isEmpty else { return [:] }
            filter = "(d.site_id, d.charge_date) IN (SELECT * FROM unnest($1::integer[], $2::date[]))"
            parameters = [
                .text("{" + days.map { String($0.siteID) }.joined(separator: ",") + "}"),
                .text("{" + days.map(\.date.description).joined(separator: ",") + "}"),
            ]
        } else if let period {
            filter = "d.charge_date BETWEEN $1::date AND $2::date"
            parameters = [.text(period.lowerBound.description), .text(period.upperBound.description)]
        } else {
            filter = "true"
        }
        if let clients {
            filter += " AND c.client_id = ANY($\(parameters.count + 1)::text[])"
            parameters.append(.text(CopyText.arrayLiteral(clients.sorted())))
        }
        var totals: [BillingTotals.Key: BillingTotals] = [:]
        for row in try connection.execute(
            """
            SELECT c.client_id, c.matter_id, c.currency, sum(c.calls), sum(c.billed_seconds), sum(c.amount)::text
            FROM smdr.rating_day_total AS c
            JOIN smdr.rating_day AS d ON d.site_id = c.site_id AND d.charge_date = c.charge_date AND d.rating_run = c.rating_run
            WHERE \(filter)
            GROUP BY 1, 2, 3
            """,
            parameters
        ) {
            guard let client = row[0].string, let currency = row[2].string, let amount = row[5].string.flatMap(DecimalText.parse) else {
                throw PostgresError(code: .unexpectedResult, message: "charge totals row not understood: \(row.cells)")
            }
            totals[BillingTotals.Key(clientID: client, matterID: row[1].string, currency: currency)] = BillingTotals(
                calls: row[3].int ?? 0, billedSeconds: row[4].int ?? 0, amount: amount
            )
        }
        return totals
    }

    // MARK: - Writing a run

    /// Removes what runs that never finished left behind (a crash between writing and switching).
    package static func discardUnfinishedRuns(on connection: PostgresConnection) throws {
        try connection.executeScript(
            """
            DELETE FROM smdr.charge WHERE rating_run IN (SELECT run_id FROM smdr.rating_run WHERE finished_at IS NULL);
            DELETE FROM smdr.unrated_leg WHERE rating_run IN (SELECT run_id FROM smdr.rating_run WHERE finished_at IS NULL);
            DELETE FROM smdr.rating_day_total WHERE rating_run IN (SELECT run_id FROM smdr.rating_run WHERE finished_at IS NULL);
            DELETE FROM smdr.rating_run WHERE finished_at IS NULL
            """
        )
    }

    /// Records a new run of `kind` over `period`; returns its number.
    package static func beginRun(kind: String, period: ClosedRange<LocalDate>, on connection: PostgresConnection) throws -> Int {
        let row = try connection.execute(
            "INSERT INTO smdr.rating_run (kind, period_from, period_to) VALUES ($1, $2::date, $3::date) RETURNING run_id",
            [.text(kind), .text(period.lowerBound.description), .text(period.upperBound.description)]
        )
        guard let run = row.first?[0].int else { throw PostgresError(code: .unexpectedResult, message: "rating_run gave no run_id") }
        return run
    }

    /// Writes the rows of `days` under `run` (their months' partitions exist: ``ensurePartitions(_:on:)``);
    /// they become current only when the run switches.
    package static func write(run: Int, days: [Day: EncodedDay], on connection: PostgresConnection) throws {
        guard !days.isEmpty else { return }
        try connection.execute("SELECT set_config('smdr.rating_run', $1, false)", [.text(String(run))])
        let ordered = days.sorted { $0.key < $1.key }.map(\.value)
        for (table, columns, bytes) in [
            ("charge", ChargeRow.columnList, \EncodedDay.charges), ("unrated_leg", UnratedLegRow.columnList, \EncodedDay.unrated),
            ("rating_day_total", "site_id, charge_date, client_id, matter_id, currency, calls, billed_seconds, amount", \EncodedDay.totals),
        ] where ordered.contains(where: { !$0[keyPath: bytes].isEmpty }) {
            try connection.copyIn("COPY smdr.\(table) (\(columns)) FROM STDIN") { writer in
                for day in ordered where !day[keyPath: bytes].isEmpty { try writer.write(encoded: day[keyPath: bytes]) }
            }
        }
    }

    /// Makes `run` current for `days` (a digest; `nil`: the day has nothing any more), in the
    /// caller's transaction, and records what the run did. Charges superseded by an incremental
    /// run (`keepSuperseded` false) are deleted at once; a re-rate keeps them to compare.
    package static func switchDays(
        run: Int?, days: [Day: [UInt8]?], charges: Int, unrated: Int, keepSuperseded: Bool, holder: String,
        on connection: PostgresConnection
    ) throws {
        try connection.execute("SELECT pg_advisory_xact_lock(hashtext($1))", [.text(Self.switchLockKey)])
        if try connection.execute("SELECT FROM smdr.rating_state WHERE lease_holder = $1 FOR UPDATE", [.text(holder)]).isEmpty {
            throw PostgresError(code: .unexpectedResult, message: "the rating lease of \(holder) expired and was taken by another run; nothing was switched")
        }
        // A month closed since the run read the closed months keeps its charges.
        let closed = try Self.closedMonths(on: connection)
        let days = days.filter { !closed.contains($0.key.date.firstOfMonth) }
        guard !days.isEmpty else { return }
        let ordered = days.keys.sorted()
        let sites = "{" + ordered.map { String($0.siteID) }.joined(separator: ",") + "}"
        let dates = "{" + ordered.map(\.date.description).joined(separator: ",") + "}"
        if keepSuperseded {
            try connection.execute(
                """
                INSERT INTO smdr.rating_superseded (site_id, charge_date, rating_run)
                SELECT d.site_id, d.charge_date, d.rating_run FROM smdr.rating_day AS d
                WHERE (d.site_id, d.charge_date) IN (SELECT * FROM unnest($1::integer[], $2::date[]))
                ON CONFLICT DO NOTHING
                """,
                [.text(sites), .text(dates)]
            )
        } else {
            try connection.execute(
                """
                WITH old AS (
                    SELECT d.site_id, d.charge_date, d.rating_run FROM smdr.rating_day AS d
                    WHERE (d.site_id, d.charge_date) IN (SELECT * FROM unnest($1::integer[], $2::date[]))
                ),
                \(Self.deleteOldRows)
                SELECT count(*) FROM gone
                """,
                [.text(sites), .text(dates)]
            )
        }
        let kept = ordered.filter { days[$0]! != nil }
        try connection.execute(
            "DELETE FROM smdr.rating_day WHERE (site_id, charge_date) IN (SELECT * FROM unnest($1::integer[], $2::date[]))",
            [.text(sites), .text(dates)]
        )
        if let run, !kept.isEmpty {
            try connection.execute(
                """
                INSERT INTO smdr.rating_day (site_id, charge_date, rating_run, digest)
                SELECT s, d, $3::bigint, decode(h, 'hex') FROM unnest($1::integer[], $2::date[], $4::text[]) AS t(s, d, h)
                """,
                [
                    .text("{" + kept.map { String($0.siteID) }.joined(separator: ",") + "}"),
                    .text("{" + kept.map(\.date.description).joined(separator: ",") + "}"),
                    .text(String(run)),
                    .text("{" + kept.map { Hex.encode(days[$0]!!) }.joined(separator: ",") + "}"),
                ]
            )
        }
        if let run, let first = ordered.first?.date, let last = ordered.map(\.date).max() {
            let updated = try connection.execute(
                """
                UPDATE smdr.rating_run SET finished_at = now(), days = $2::integer, charges = $3::integer, unrated_legs = $4::integer,
                    period_from = least(period_from, $5::date), period_to = greatest(period_to, $6::date)
                WHERE run_id = $1::bigint RETURNING true
                """,
                [.text(String(run)), .text(String(days.count)), .text(String(charges)), .text(String(unrated)), .text(first.description), .text(last.description)]
            )
            if updated.isEmpty { throw PostgresError(code: .unexpectedResult, message: "rating run \(run) is gone; nothing was switched") }
        }
    }

    /// Records where the next incremental run starts: legs loaded from `marginSeconds` before
    /// `startedAt` (the run's start, database time), and calls from `pendingFrom`.
    package static func saveState(startedAt: String, marginSeconds: Int, pendingFrom: LocalDate?, on connection: PostgresConnection) throws {
        try connection.execute(
            """
            UPDATE smdr.rating_state
            SET loaded_since = $1::timestamptz - make_interval(secs => $2::integer), pending_from = $3::date, checked_at = now()
            """,
            [.text(startedAt), .text(String(marginSeconds)), pendingFrom.map { .text($0.description) } ?? .null]
        )
    }

    /// CTEs that delete the charges, unrated legs and day totals of the (site, day, run)s in a CTE
    /// named `old`; `gone` returns a row per charge deleted.
    private static let deleteOldRows = """
        gone AS (
            DELETE FROM smdr.charge AS c USING old
            WHERE c.site_id = old.site_id AND c.charge_date = old.charge_date AND c.rating_run = old.rating_run
            RETURNING 1
        ), gone_unrated AS (
            DELETE FROM smdr.unrated_leg AS u USING old
            WHERE u.site_id = old.site_id AND u.charge_date = old.charge_date AND u.rating_run = old.rating_run
        ), gone_totals AS (
            DELETE FROM smdr.rating_day_total AS t USING old
            WHERE t.site_id = old.site_id AND t.charge_date = old.charge_date AND t.rating_run = old.rating_run
        )
        """

    /// Deletes the charges a re-rate superseded more than `seconds` ago (the run rows stay).
    package static func pruneSuperseded(olderThanSeconds seconds: Int, on connection: PostgresConnection) throws -> Int {
        let rows = try connection.execute(
            """
            WITH old AS (
                DELETE FROM smdr.rating_superseded WHERE superseded_at < now() - make_interval(secs => $1::integer)
                RETURNING site_id, charge_date, rating_run
            ),
            \(Self.deleteOldRows)
            SELECT count(*) FROM gone
            """,
            [.text(String(seconds))]
        )
        return rows.first?[0].int ?? 0
    }

    /// Creates the monthly partitions of `smdr.charge` for `months` (first days) that are
    /// missing, each in its own short transaction (creating one locks the table), through
    /// `smdr.ensure_charge_partitions`, which a rater without ownership may call.
    package static func ensurePartitions(_ months: [LocalDate], on connection: PostgresConnection) throws {
        guard !months.isEmpty else { return }
        try connection.execute(
            "SELECT smdr.ensure_charge_partitions($1::date[])", [.text("{" + months.map(\.description).joined(separator: ",") + "}")]
        )
    }
}
