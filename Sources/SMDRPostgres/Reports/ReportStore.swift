package import SMDRCore
package import SMDRReports

/// What billing staff read out of smdr: the charges of `smdr export` and statements, streamed in
/// the export order, and the sums of `smdr report`. Reads go through the contract views
/// (`smdr.charges`, `smdr.unassigned_calls`, `smdr.unrated_legs`), so an analyst role can run them.
package enum ReportStore {
    /// Which charges: local days `from` … `to` (inclusive, `charge_date`, so only those months'
    /// partitions are read), of one client and, within it, one matter when given.
    package struct ChargeFilter: Sendable, Hashable {
        package var from: LocalDate
        package var to: LocalDate
        package var clientID: String?
        package var matterID: String?

        package init(from: LocalDate, to: LocalDate, clientID: String? = nil, matterID: String? = nil) {
            self.from = from
            self.to = to
            self.clientID = clientID
            self.matterID = matterID
        }
    }

    /// Runs `body` in one read-only `REPEATABLE READ` transaction: every read inside sees the same
    /// snapshot, so a rating run switched meanwhile (one transaction, DESIGN §7) shows entirely or
    /// not at all — an export never mixes two runs, and a statement's items and totals agree.
    package static func withSnapshot<T>(on connection: PostgresConnection, _ body: () throws -> T) throws -> T {
        try connection.withTransaction {
            try connection.executeScript("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            return try body()
        }
    }

    /// Calls `each` with every charge `filter` selects, with its calls, in the export order
    /// (``ExportWriter``), streaming: one charge is in memory at a time.
    ///
    /// - Returns: the number of charges.
    @discardableResult
    package static func charges(
        _ filter: ChargeFilter, on connection: PostgresConnection, _ each: (ExportCharge) throws -> Void
    ) throws -> Int {
        // COPY takes no parameters: the client and matter (text from the command line) travel as
        // transaction-local settings; the dates are validated values.
        try connection.withTransaction {
            // JIT compiling the per-charge lateral join costs seconds and gains nothing on a
            // query that is index probes per row.
            _ = try connection.execute(
                "SELECT set_config('smdr.export_client', $1, true), set_config('smdr.export_matter', $2, true), set_config('jit', 'off', true)",
                [.text(filter.clientID ?? ""), .text(filter.matterID ?? "")]
            )
            var conditions = ["c.charge_date BETWEEN DATE '\(filter.from)' AND DATE '\(filter.to)'"]
            if filter.clientID != nil { conditions.append("c.client_id = current_setting('smdr.export_client')") }
            if filter.matterID != nil { conditions.append("c.matter_id = current_setting('smdr.export_matter')") }
            var pending: ExportCharge?
            var count = 0
            try connection.copyOut(ExportChargeRow.copy(where: conditions.joined(separator: " AND "))) { row in
                let (charge, call) = try ExportChargeRow.decode(row)
                if pending?.chargeID != charge.chargeID {
                    if let done = pending {
                        try each(done)
                        count += 1
                    }
                    pending = charge
                }
                if let call { pending?.calls.append(call) }
            }
            if let done = pending {
                try each(done)
                count += 1
            }
            return count
        }
    }

    /// The registered name of a client; `nil` when no such client is registered.
    package static func clientName(_ clientID: String, on connection: PostgresConnection) throws -> String? {
        let rows = try connection.execute("SELECT name FROM smdr.client WHERE client_id = $1", [.text(clientID)])
        return rows.isEmpty ? nil : (rows[0][0].string ?? "")
    }

    /// Whether a matter is registered for the client.
    package static func matterExists(_ matterID: String, client clientID: String, on connection: PostgresConnection) throws -> Bool {
        !(try connection.execute(
            "SELECT 1 FROM smdr.matter WHERE client_id = $1 AND matter_id = $2", [.text(clientID), .text(matterID)]
        ).isEmpty)
    }

    /// The day `month` (a first day) was closed (`smdr period close`): the local day at the sites
    /// when they share one time zone, else in UTC — never the session's time zone, so `PGTZ` or
    /// a server setting cannot change a closed month's statement. `nil` while it is open.
    package static func closedOn(_ month: LocalDate, on connection: PostgresConnection) throws -> LocalDate? {
        let rows = try connection.execute(
            """
            SELECT (p.closed_at AT TIME ZONE coalesce(
                       (SELECT min(s.time_zone) FROM smdr.site AS s HAVING count(DISTINCT s.time_zone) = 1), 'UTC'))::date::text
            FROM smdr.rating_period AS p WHERE p.month = $1::date
            """,
            [.text(month.description)]
        )
        return rows.isEmpty ? nil : rows[0][0].string.flatMap(LocalDate.init(iso:))
    }

    /// The sums of `smdr report` for local days `from` … `to`: one pass over the charges grouped
    /// four ways, plus the review queue and the unrated legs of the period.
    package static func report(firm: Firm, from: LocalDate, to: LocalDate, on connection: PostgresConnection) throws -> BillingReport {
        let parameters: [PostgresValue] = [.text(from.description), .text(to.description)]
        let rows = try connection.execute(
            """
            SELECT CASE WHEN GROUPING(c.client_id) = 0 AND GROUPING(c.matter_id) = 1 THEN 'client'
                        WHEN GROUPING(c.matter_id) = 0 THEN 'matter'
                        WHEN GROUPING(c.timekeeper_id) = 0 THEN 'timekeeper'
                        ELSE 'day' END,
                   c.client_id, c.matter_id, c.timekeeper_id, c.charge_date::text, c.currency,
                   max(c.client_name), max(c.matter_name), max(c.timekeeper_name),
                   count(*),
                   coalesce(sum(c.calls) FILTER (WHERE c.kind = 'fee'), 0),
                   coalesce(sum(c.raw_seconds) FILTER (WHERE c.kind = 'fee'), 0),
                   coalesce(sum(c.billed_hours) FILTER (WHERE c.kind = 'fee'), 0)::text,
                   -- A sum of nothing at the currency's scale (0.00 GBP, 0 JPY): the amounts' sum × 0.
                   coalesce(sum(c.amount) FILTER (WHERE c.kind = 'fee'), sum(c.amount) * 0)::text,
                   coalesce(sum(c.amount) FILTER (WHERE c.kind = 'expense'), sum(c.amount) * 0)::text
            FROM smdr.charges AS c
            WHERE c.charge_date BETWEEN $1::date AND $2::date
            -- Users who are not registered timekeepers are grouped by their name on the PBX, each
            -- on a line of their own.
            GROUP BY GROUPING SETS ((c.client_id, c.currency), (c.client_id, c.matter_id, c.currency),
                                    (c.timekeeper_id, CASE WHEN c.timekeeper_id IS NULL THEN c.timekeeper_name END, c.currency),
                                    (c.charge_date, c.currency))
            ORDER BY 1, c.client_id COLLATE "C", c.matter_id COLLATE "C" NULLS FIRST, c.timekeeper_id COLLATE "C" NULLS FIRST,
                     CASE WHEN c.timekeeper_id IS NULL THEN c.timekeeper_name END COLLATE "C", c.charge_date, c.currency COLLATE "C"
            """,
            parameters
        )
        var clients: [BillingReport.Line] = []
        var matters: [BillingReport.Line] = []
        var timekeepers: [BillingReport.Line] = []
        var days: [BillingReport.Line] = []
        for row in rows {
            let clientID = row[1].string ?? ""
            let clientName = row[6].string ?? clientID
            let key: String
            let label: String
            switch row[0].string {
            case "client":
                key = clientID
                label = clientName
            case "matter":
                key = row[2].string.map { clientID + "/" + $0 } ?? clientID
                label = row[7].string.map { clientName + " — " + $0 } ?? clientName
            case "timekeeper":
                key = row[3].string ?? ""
                label = row[3].string == nil ? (row[8].string ?? "") + " (not registered)" : (row[8].string ?? "")
            default:
                key = row[4].string ?? ""
                label = key
            }
            let line = BillingReport.Line(
                key: key, label: label, currency: row[5].string ?? "", charges: row[9].int ?? 0, calls: row[10].int ?? 0,
                rawSeconds: row[11].int ?? 0, billedHours: Self.decimal(row[12]), fees: Self.decimal(row[13]),
                expenses: Self.decimal(row[14])
            )
            switch row[0].string {
            case "client": clients.append(line)
            case "matter": matters.append(line)
            case "timekeeper": timekeepers.append(line)
            default: days.append(line)
            }
        }
        let queue = try connection.execute(
            """
            SELECT count(*), coalesce(sum(connected_seconds), 0) FROM smdr.unassigned_calls
            WHERE call_start_local >= $1::date AND call_start_local < $2::date + 1
            """,
            parameters
        )[0]
        let unrated = try connection.execute(
            "SELECT count(*), coalesce(sum(talk_seconds), 0) FROM smdr.unrated_legs WHERE charge_date BETWEEN $1::date AND $2::date",
            parameters
        )[0]
        return BillingReport(
            firm: firm, from: from, to: to, clients: clients, matters: matters, timekeepers: timekeepers, days: days,
            reviewQueueCalls: queue[0].int ?? 0, reviewQueueSeconds: queue[1].int ?? 0, unratedLegs: unrated[0].int ?? 0,
            unratedSeconds: unrated[1].int ?? 0
        )
    }

    private static func decimal(_ value: PostgresCell) -> ExactDecimal {
        value.string.flatMap { DecimalText.parse($0) } ?? ExactDecimal(units: 0, scale: 0)
    }
}
