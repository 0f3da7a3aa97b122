package import SMDRCore
package import SMDRReports

/// What the web app's dashboard (`/dashboard`) reads: a month's billed hours and amounts per
/// client and per timekeeper, with what is not billed yet, as a ``BillingReport`` (so the
/// report's bar charts draw it), and each site's ingest health from `smdr.ingest_health`.
///
/// `smdr report`'s ``ReportStore/report(firm:from:to:on:)`` is the same figures, but at 1M legs
/// it costs about 0.9 s on the benchmark database: it groups the month's charges four ways with
/// every name joined first, and counts the queue through `smdr.unassigned_calls`, whose join to
/// `smdr.call_leg` the planner makes a scan of every month. Here the charges are grouped only
/// the two ways the dashboard shows (names joined to the groups), and the queued legs' talk time
/// is read leg by leg from the months their calls can be in.
package enum DashboardStore {
    /// One site's line of `smdr.ingest_health`.
    package struct SiteHealth: Sendable, Hashable {
        package var site: String
        /// `YYYY-MM-DD HH:MM:SS` in the database server's time zone; `nil` when none recently.
        package var lastReceivedAt: String?
        /// Local start of the latest call stored.
        package var lastCallStart: String?
        package var linesToday: Int
        package var rejectsToday: Int
        package var callIDGapsToday: Int
        package var localToday: String
    }

    /// The figures of local days `from` … `to`: per client and per timekeeper (``BillingReport``'s
    /// keys and labels; its matters and days are left empty), the calls of the period waiting in
    /// the queue and their talk time, and the legs without a plan.
    package static func figures(firm: Firm, from: LocalDate, to: LocalDate, on connection: PostgresConnection) throws -> BillingReport {
        let period: [PostgresValue] = [.text(from.description), .text(to.description)]
        let rows = try connection.execute(
            """
            SELECT g.grouping, g.client_id, g.timekeeper_id, g.timekeeper_name, g.currency, cl.name, g.charges, g.calls,
                   g.raw_seconds, g.hours, g.fees, g.expenses
            FROM (
                SELECT CASE WHEN GROUPING(c.client_id) = 0 THEN 'client' ELSE 'timekeeper' END AS grouping,
                       c.client_id, c.timekeeper_id, max(c.timekeeper_name) AS timekeeper_name, c.currency,
                       count(*) AS charges,
                       coalesce(sum(c.calls) FILTER (WHERE c.kind = 'fee'), 0) AS calls,
                       coalesce(sum(c.raw_seconds) FILTER (WHERE c.kind = 'fee'), 0) AS raw_seconds,
                       coalesce(sum(c.billed_hours) FILTER (WHERE c.kind = 'fee'), 0)::text AS hours,
                       -- A sum of nothing at the currency's scale: the amounts' sum × 0 (as smdr report).
                       coalesce(sum(c.amount) FILTER (WHERE c.kind = 'fee'), sum(c.amount) * 0)::text AS fees,
                       coalesce(sum(c.amount) FILTER (WHERE c.kind = 'expense'), sum(c.amount) * 0)::text AS expenses
                FROM smdr.charges AS c
                WHERE c.charge_date BETWEEN $1::date AND $2::date
                -- Users who are not registered timekeepers: a line per name on the PBX (as smdr report).
                GROUP BY GROUPING SETS ((c.client_id, c.currency),
                                        (c.timekeeper_id, CASE WHEN c.timekeeper_id IS NULL THEN c.timekeeper_name END, c.currency))
            ) AS g
            LEFT JOIN smdr.client AS cl ON cl.client_id = g.client_id
            ORDER BY g.grouping, g.client_id COLLATE "C", g.timekeeper_id COLLATE "C" NULLS FIRST,
                     CASE WHEN g.grouping = 'timekeeper' AND g.timekeeper_id IS NULL THEN g.timekeeper_name END COLLATE "C",
                     g.currency COLLATE "C"
            """,
            period
        )
        var clients: [BillingReport.Line] = []
        var timekeepers: [BillingReport.Line] = []
        for row in rows {
            let isClient = row[0].string == "client"
            let key = (isClient ? row[1].string : row[2].string) ?? ""
            let label =
                isClient
                ? (row[5].string ?? key)
                : (row[2].string == nil ? (row[3].string ?? "") + " (not registered)" : (row[3].string ?? ""))
            let line = BillingReport.Line(
                key: key, label: label, currency: row[4].string ?? "", charges: row[6].int ?? 0, calls: row[7].int ?? 0,
                rawSeconds: row[8].int ?? 0, billedHours: Self.decimal(row[9]), fees: Self.decimal(row[10]), expenses: Self.decimal(row[11])
            )
            if isClient { clients.append(line) } else { timekeepers.append(line) }
        }
        // A leg is stored in the month its own line starts (call_month), which for a call started
        // in the period is the period's months or the next (a leg starts within a day of its
        // call), or 0001-01-01 for a line without its date up front: only those partitions of
        // call_leg are probed, leg by leg (LIMIT 1 keeps the planner from hashing every month).
        let months: [PostgresValue] = period + [.text(from.firstOfMonth.description), .text(to.firstOfNextMonth.description)]
        let queue = try connection.execute(
            """
            SELECT count(*), coalesce(sum(x.seconds), 0)
            FROM (
                SELECT sum(l.connected_seconds) AS seconds
                FROM smdr.leg_match AS m
                LEFT JOIN LATERAL (
                    SELECT l.connected_seconds FROM smdr.call_leg AS l
                    WHERE l.site_id = m.site_id AND l.call_month = m.call_month AND l.call_id = m.call_id
                      AND l.call_start_local = m.leg_start_local AND l.leg_ordinal = m.leg_ordinal
                      AND (l.call_month BETWEEN $3::date AND $4::date OR l.call_month = DATE '0001-01-01')
                    LIMIT 1
                ) AS l ON true
                WHERE m.match_rule = 'unassigned' AND m.call_start_local >= $1::date AND m.call_start_local < $2::date + 1
                GROUP BY m.site_id, m.call_id, m.call_start_local
            ) AS x
            """,
            months
        )[0]
        let unrated = try connection.execute(
            "SELECT count(*), coalesce(sum(talk_seconds), 0) FROM smdr.unrated_legs WHERE charge_date BETWEEN $1::date AND $2::date",
            period
        )[0]
        return BillingReport(
            firm: firm, from: from, to: to, clients: clients, matters: [], timekeepers: timekeepers, days: [],
            reviewQueueCalls: queue[0].int ?? 0, reviewQueueSeconds: queue[1].int ?? 0, unratedLegs: unrated[0].int ?? 0,
            unratedSeconds: unrated[1].int ?? 0
        )
    }

    /// Every site's ingest health, by site name. Only the view's ingest columns are read: its
    /// queue columns count every queued call of the site.
    package static func ingestHealth(on connection: PostgresConnection) throws -> [SiteHealth] {
        try connection.execute(
            """
            SELECT site, to_char(last_received_at, 'YYYY-MM-DD HH24:MI:SS'), last_call_start_local::text, lines_today, rejects_today,
                   call_id_gaps_today, local_today::text
            FROM smdr.ingest_health
            ORDER BY site COLLATE "C"
            """
        ).map {
            SiteHealth(
                site: $0[0].string ?? "", lastReceivedAt: $0[1].string, lastCallStart: $0[2].string, linesToday: $0[3].int ?? 0,
                rejectsToday: $0[4].int ?? 0, callIDGapsToday: $0[5].int ?? 0, localToday: $0[6].string ?? ""
            )
        }
    }

    private static func decimal(_ value: PostgresCell) -> ExactDecimal {
        value.string.flatMap { DecimalText.parse($0) } ?? ExactDecimal(units: 0, scale: 0)
    }
}
