package import SMDRCore

/// The review queue of the web app (`/queue`): a page of `smdr.unassigned_calls`, its codes for
/// autocomplete, the latest manual assignments, and assigning codes as a signed-in web user.
///
/// The view computes the ranked suggestions of every queued call before any `LIMIT` can apply, so
/// a page read through it costs the whole queue. ``page(_:offset:limit:on:)`` pages the queue
/// first (newest first, per site along `leg_match_unassigned_idx`, or with a timekeeper
/// `leg_match_unassigned_timekeeper_idx`) and ranks suggestions only for
/// the calls of the page, with the view's rule; a test holds the two to the same rows.
package enum QueueStore {
    /// Which queued calls: a site (name), a timekeeper on one of the call's legs, local days
    /// `from` … `to` of the call's start (inclusive). `nil`: any.
    package struct Filter: Sendable, Hashable {
        package var site: String?
        package var timekeeperID: String?
        package var from: LocalDate?
        package var to: LocalDate?

        package init(site: String? = nil, timekeeperID: String? = nil, from: LocalDate? = nil, to: LocalDate? = nil) {
            self.site = site
            self.timekeeperID = timekeeperID
            self.from = from
            self.to = to
        }
    }

    /// A suggested code with the names of what it bills, best first.
    package struct Suggestion: Sendable, Hashable {
        package var code: String
        package var clientName: String
        package var matterName: String?
    }

    /// One call of the queue: the columns of `smdr.unassigned_calls`, plus the outside party's
    /// name as the PBX gave it (`smdr.usage_report.external_name`).
    package struct Call: Sendable, Hashable {
        package var site: String
        package var callID: Int
        /// `YYYY-MM-DD HH:MM:SS`: with site and Call ID the call's key.
        package var start: String
        package var externalNumber: String
        package var externalName: String?
        package var enteredCode: String
        /// `unverified` or `no match`.
        package var reason: String
        package var suggestions: [Suggestion]
        package var timekeeperIDs: [String]
        package var userNames: String
        package var connectedSeconds: Int
    }

    /// An active exact code (what `smdr assign` takes) for the code field's autocomplete.
    package struct CodeOption: Sendable, Hashable {
        package var code: String
        package var clientName: String
        package var matterName: String?
    }

    /// A manual assignment, for "Recently assigned".
    package struct Assignment: Sendable, Hashable {
        /// `YYYY-MM-DD HH:MM:SS` in the database server's time zone.
        package var assignedAt: String
        package var site: String
        package var callID: Int
        package var start: String
        package var code: String
        package var clientName: String
        package var note: String
        package var assignedBy: String
    }

    /// The calls of the page `offset ..< offset + limit` of the queue, newest first (by the
    /// call's local start, then site and Call ID, descending), with their suggestions.
    package static func page(_ filter: Filter, offset: Int, limit: Int, on connection: PostgresConnection) throws -> [Call] {
        var parameters = SQLParameters([.int(offset + limit), .int(offset), .int(limit)])
        // Per site, the newest calls along the partial index; the sites' lists merged. The
        // conditions are fixed text; values travel as parameters.
        var legConditions = ["m.site_id = s.id", "m.match_rule = 'unassigned'"]
        if let from = filter.from { legConditions.append("m.call_start_local >= \(parameters.add(.text(from.description)))::date") }
        if let to = filter.to { legConditions.append("m.call_start_local < \(parameters.add(.text(to.description)))::date + 1") }
        // A call with one of its queued legs the timekeeper's (the view's timekeeper_ids).
        if let timekeeper = filter.timekeeperID { legConditions.append("m.timekeeper_id = \(parameters.add(.text(timekeeper)))") }
        // The view inner-joins call_leg: a leg without its row is not in the queue, so a page
        // counts only legs that have one (or it would come out short).
        legConditions.append(
            """
            EXISTS (SELECT FROM smdr.call_leg AS l
                    WHERE l.site_id = m.site_id AND l.call_month = m.call_month AND l.call_id = m.call_id
                      AND l.call_start_local = m.leg_start_local AND l.leg_ordinal = m.leg_ordinal)
            """
        )
        let siteCondition = filter.site.map { "WHERE s.name = \(parameters.add(.text($0)))" } ?? ""
        let rows = try connection.execute(
            """
            WITH page AS (
                SELECT k.site_id, k.call_id, k.call_start_local
                FROM smdr.site AS s
                CROSS JOIN LATERAL (
                    SELECT m.site_id, m.call_id, m.call_start_local
                    FROM smdr.leg_match AS m
                    WHERE \(legConditions.joined(separator: " AND "))
                    GROUP BY m.call_start_local, m.call_id, m.site_id
                    ORDER BY m.call_start_local DESC, m.call_id DESC
                    LIMIT $1
                ) AS k
                \(siteCondition)
                ORDER BY k.call_start_local DESC, k.site_id DESC, k.call_id DESC
                OFFSET $2 LIMIT $3
            ), queue AS (
                -- smdr.unassigned_calls' grouping, over the page's calls only.
                SELECT m.site_id, m.call_id, m.call_start_local,
                       (array_agg(m.external_number ORDER BY m.leg_start_local, m.leg_ordinal))[1] AS external_number,
                       (array_agg(m.external_e164 ORDER BY m.leg_start_local, m.leg_ordinal) FILTER (WHERE m.external_e164 IS NOT NULL))[1] AS external_e164,
                       max(m.entered_code) AS entered_code,
                       bool_or(m.unverified) AS unverified,
                       array_agg(DISTINCT m.timekeeper_id) FILTER (WHERE m.timekeeper_id IS NOT NULL) AS timekeeper_ids,
                       string_agg(DISTINCT m.user_name, ', ') AS user_names,
                       sum(l.connected_seconds)::bigint AS connected_seconds,
                       (array_agg(CASE WHEN l.party1_kind = 'trunk' THEN l.party1_name WHEN l.party2_kind = 'trunk' THEN l.party2_name END
                                  ORDER BY m.leg_start_local, m.leg_ordinal)
                            FILTER (WHERE (CASE WHEN l.party1_kind = 'trunk' THEN l.party1_name WHEN l.party2_kind = 'trunk' THEN l.party2_name END) <> ''))[1]
                           AS external_name
                FROM page AS p
                JOIN smdr.leg_match AS m
                  ON m.site_id = p.site_id AND m.call_id = p.call_id AND m.call_start_local = p.call_start_local
                 AND m.match_rule = 'unassigned'
                JOIN smdr.call_leg AS l
                  ON l.site_id = m.site_id AND l.call_month = m.call_month AND l.call_id = m.call_id
                 AND l.call_start_local = m.leg_start_local AND l.leg_ordinal = m.leg_ordinal
                GROUP BY m.site_id, m.call_id, m.call_start_local
            )
            SELECT s.name, q.call_id, q.call_start_local::text, q.external_number, q.external_name, q.entered_code,
                   CASE WHEN q.unverified THEN 'unverified' ELSE 'no match' END,
                   coalesce(array_to_string(q.timekeeper_ids, ','), ''), coalesce(q.user_names, ''), q.connected_seconds,
                   sg.code, cl.name, mt.name
            FROM queue AS q
            JOIN smdr.site AS s ON s.id = q.site_id
            LEFT JOIN LATERAL (
                -- smdr.unassigned_calls' suggestions, as rows (the same function).
                SELECT x.code, x.rank FROM smdr.call_suggestions(q.external_e164, q.timekeeper_ids) AS x
            ) AS sg ON true
            LEFT JOIN smdr.account_code AS a ON a.code = sg.code
            LEFT JOIN smdr.client AS cl ON cl.client_id = a.client_id
            LEFT JOIN smdr.matter AS mt ON mt.client_id = a.client_id AND mt.matter_id = a.matter_id
            ORDER BY q.call_start_local DESC, q.site_id DESC, q.call_id DESC, sg.rank
            """,
            parameters.values
        )
        var calls: [Call] = []
        for row in rows {
            let site = row[0].string ?? ""
            let callID = row[1].int ?? 0
            let start = row[2].string ?? ""
            if calls.last.map({ $0.site != site || $0.callID != callID || $0.start != start }) ?? true {
                calls.append(
                    Call(
                        site: site, callID: callID, start: start, externalNumber: row[3].string ?? "", externalName: row[4].string,
                        enteredCode: row[5].string ?? "", reason: row[6].string ?? "", suggestions: [],
                        timekeeperIDs: (row[7].string ?? "").split(separator: ",").map(String.init), userNames: row[8].string ?? "",
                        connectedSeconds: row[9].int ?? 0
                    )
                )
            }
            if let code = row[10].string {
                calls[calls.count - 1].suggestions.append(Suggestion(code: code, clientName: row[11].string ?? "", matterName: row[12].string))
            }
        }
        return calls
    }

    /// The active exact codes, by code, at most `limit` (the field takes any code typed; the
    /// list only helps).
    package static func codes(limit: Int, on connection: PostgresConnection) throws -> [CodeOption] {
        try connection.execute(
            """
            SELECT a.code, c.name, mt.name
            FROM smdr.account_code AS a
            JOIN smdr.client AS c ON c.client_id = a.client_id
            LEFT JOIN smdr.matter AS mt ON mt.client_id = a.client_id AND mt.matter_id = a.matter_id
            WHERE a.active AND a.code !~ '[?*]'
            ORDER BY a.code  -- the primary key's order: the first `limit` without sorting them all
            LIMIT $1
            """,
            [.int(limit)]
        ).map { CodeOption(code: $0[0].string ?? "", clientName: $0[1].string ?? "", matterName: $0[2].string) }
    }

    /// The latest `limit` manual assignments (from the web app, `smdr assign` or the SQL
    /// function), newest first.
    package static func recentAssignments(limit: Int, on connection: PostgresConnection) throws -> [Assignment] {
        try connection.execute(
            """
            SELECT to_char(a.assigned_at, 'YYYY-MM-DD HH24:MI:SS'), s.name, a.call_id, a.call_start_local::text, a.code,
                   coalesce(c.name, ''), a.note, a.assigned_by
            FROM (SELECT * FROM smdr.manual_assignment ORDER BY assigned_at DESC LIMIT $1) AS a
            JOIN smdr.site AS s ON s.id = a.site_id
            LEFT JOIN smdr.account_code AS k ON k.code = a.code
            LEFT JOIN smdr.client AS c ON c.client_id = k.client_id
            ORDER BY a.assigned_at DESC, a.site_id, a.call_id
            """,
            [.int(limit)]
        ).map {
            Assignment(
                assignedAt: $0[0].string ?? "", site: $0[1].string ?? "", callID: $0[2].int ?? 0, start: $0[3].string ?? "",
                code: $0[4].string ?? "", clientName: $0[5].string ?? "", note: $0[6].string ?? "", assignedBy: $0[7].string ?? ""
            )
        }
    }

    /// Assigns `code` to one call as the web app's user `userName`, through
    /// ``AssignmentStore/assign(site:callID:start:code:note:on:)`` in one transaction that first
    /// sets `smdr.web_user`, so `smdr.assign_call` records `NAME (web)` as who assigned it.
    ///
    /// - Throws: ``AssignmentStore/Refusal`` (nothing changed), or ``PostgresError``.
    package static func assign(
        site: String, callID: Int, start: LocalDateTime?, code: String, note: String, userName: String, on connection: PostgresConnection
    ) throws -> AssignmentStore.Outcome {
        try connection.withTransaction {
            try connection.execute("SELECT set_config('smdr.web_user', $1, true)", [.text(userName)])
            return try AssignmentStore.assign(site: site, callID: callID, start: start, code: code, note: note, on: connection)
        }
    }
}
