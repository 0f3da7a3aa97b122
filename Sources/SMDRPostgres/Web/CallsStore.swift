package import SMDRCore

/// The calls of the web app (`/calls`): a page of `smdr.usage_report` (AT Conference's usage
/// report: one row per call with billable time), searched, with the trace of each charge that
/// covers a call from `smdr.charges`.
///
/// The view groups every leg and charge of the days it is asked for before a `LIMIT` can apply;
/// ``page(_:offset:limit:on:)`` therefore finds the page's calls first, newest first along
/// `leg_match_call_start_idx` (schema/050_web.sql), then reads only those calls' days and starts
/// from the view. A page's cost grows with the legs the filters have to pass over before the
/// page is full, not with the legs stored: a rare number or caller name reads the whole period
/// (see ``keys(_:offset:limit:on:)``).
package enum CallsStore {
    /// Which calls: local days `from` … `to` of the call's start (inclusive), and, when given, a
    /// billable leg of the call that bills `clientID`, is `timekeeperID`'s, bills `code`, has
    /// `number` within its outside number, and `text` within the outside party's name
    /// (case-insensitive).
    package struct Filter: Sendable, Hashable {
        package var from: LocalDate
        package var to: LocalDate
        package var clientID: String?
        package var timekeeperID: String?
        package var code: String?
        package var number: String?
        package var text: String?

        package init(
            from: LocalDate, to: LocalDate, clientID: String? = nil, timekeeperID: String? = nil, code: String? = nil,
            number: String? = nil, text: String? = nil
        ) {
            self.from = from
            self.to = to
            self.clientID = clientID
            self.timekeeperID = timekeeperID
            self.code = code
            self.number = number
            self.text = text
        }
    }

    /// A charge covering a call: how it was matched and how its amount was derived.
    package struct Charge: Sendable, Hashable {
        package var chargeID: Int
        /// fee or expense.
        package var kind: String
        /// leg, call or client_day.
        package var scope: String
        /// The match rules of its legs.
        package var rule: String
        package var trace: String
        /// Calls it covers (more than 1: a client_day charge shared with other calls).
        package var calls: Int
    }

    /// One call: the columns of `smdr.usage_report` the page shows.
    package struct Call: Sendable, Hashable {
        package var site: String
        package var callID: Int
        /// `YYYY-MM-DD HH:MM:SS`.
        package var start: String
        /// I or O.
        package var direction: String
        package var users: String
        package var timekeeperNames: String
        package var externalNumber: String
        package var externalName: String?
        package var talkSeconds: Int
        package var code: String?
        package var clientID: String?
        package var clientName: String?
        package var matterName: String?
        package var matchRule: String
        package var billedHours: ExactDecimal?
        package var amount: ExactDecimal?
        package var currency: String?
        package var unverified: Bool
        package var blocked: Bool
        package var charges: [Charge]
    }

    /// The calls of the page `offset ..< offset + limit`, newest first (by the call's local
    /// start, then site and Call ID, descending), each with the charges that cover it.
    package static func page(_ filter: Filter, offset: Int, limit: Int, on connection: PostgresConnection) throws -> [Call] {
        let keys = try Self.keys(filter, offset: offset, limit: limit, on: connection)
        guard !keys.isEmpty else { return [] }
        let starts = CopyText.arrayLiteral(Set(keys.map(\.start)).sorted())
        let days = CopyText.arrayLiteral(Set(keys.map { String($0.start.prefix(10)) }).sorted())
        // Conditions on the view's grouping columns (date, call_start_local) reach both its legs
        // and its charges; the page's calls are picked out of those days here.
        let rows = try connection.execute(
            """
            SELECT u.site, u.call_id, u.call_start_local::text, u.direction, coalesce(u.users, ''), coalesce(u.timekeeper_names, ''),
                   u.external_number, u.external_name, u.talk_seconds, u.code, u.client_id, u.client_name, u.matter_name, u.match_rule,
                   u.billed_hours::text, u.amount::text, u.currency, u.unverified, u.blocked, array_to_string(u.charge_ids, ',')
            FROM smdr.usage_report AS u
            WHERE u.date = ANY ($1::date[]) AND u.call_start_local = ANY ($2::timestamp[])
            """,
            [.text(days), .text(starts)]
        )
        var byKey: [Key: Call] = [:]
        var chargeIDs: [Int] = []
        for row in rows {
            let key = Key(site: row[0].string ?? "", callID: row[1].int ?? 0, start: row[2].string ?? "")
            guard keys.contains(key) else { continue }
            let ids = (row[19].string ?? "").split(separator: ",").compactMap { Int($0) }
            chargeIDs += ids
            byKey[key] = Call(
                site: key.site, callID: key.callID, start: key.start, direction: row[3].string ?? "", users: row[4].string ?? "",
                timekeeperNames: row[5].string ?? "", externalNumber: row[6].string ?? "", externalName: row[7].string,
                talkSeconds: row[8].int ?? 0, code: row[9].string, clientID: row[10].string, clientName: row[11].string,
                matterName: row[12].string, matchRule: row[13].string ?? "", billedHours: row[14].string.flatMap(DecimalText.parse),
                amount: row[15].string.flatMap(DecimalText.parse), currency: row[16].string, unverified: row[17].bool ?? false,
                blocked: row[18].bool ?? false, charges: ids.map { Charge(chargeID: $0, kind: "", scope: "", rule: "", trace: "", calls: 0) }
            )
        }
        let charges = try Self.charges(chargeIDs, days: days, on: connection)
        return keys.compactMap { key in
            guard var call = byKey[key] else { return nil }
            call.charges = call.charges.compactMap { charges[$0.chargeID] }
            return call
        }
    }

    /// A call's key.
    private struct Key: Hashable {
        var site: String
        var callID: Int
        var start: String
    }

    /// The keys of the page's calls, in page order.
    private static func keys(_ filter: Filter, offset: Int, limit: Int, on connection: PostgresConnection) throws -> [Key] {
        var parameters = SQLParameters([.int(offset), .int(limit), .text(filter.from.description), .text(filter.to.description)])
        var conditions = ["m.call_start_local >= $3::date", "m.call_start_local < $4::date + 1"]
        if let client = filter.clientID { conditions.append("m.client_id = \(parameters.add(.text(client)))") }
        if let timekeeper = filter.timekeeperID { conditions.append("m.timekeeper_id = \(parameters.add(.text(timekeeper)))") }
        if let code = filter.code { conditions.append("m.code = \(parameters.add(.text(code)))") }
        // strpos, not LIKE: what is typed is text, never a pattern.
        if let number = filter.number { conditions.append("strpos(m.external_number, \(parameters.add(.text(number)))) > 0") }
        if let text = filter.text {
            // The outside party's name is on the leg's line: probed leg by leg in the months the
            // period's legs are stored in (a leg's own month, at most the one after its call's, or
            // 0001-01-01 for a line without its date up front). Without an index on names, a text
            // no call has reads the whole period.
            let first = parameters.add(.text(filter.from.firstOfMonth.description))
            let last = parameters.add(.text(filter.to.firstOfNextMonth.description))
            conditions.append(
                """
                EXISTS (
                    SELECT FROM smdr.call_leg AS l
                    WHERE l.site_id = m.site_id AND l.call_month = m.call_month AND l.call_id = m.call_id
                      AND l.call_start_local = m.leg_start_local AND l.leg_ordinal = m.leg_ordinal
                      AND (l.call_month BETWEEN \(first)::date AND \(last)::date OR l.call_month = DATE '0001-01-01')
                      AND strpos(lower(CASE WHEN l.party1_kind = 'trunk' THEN l.party1_name WHEN l.party2_kind = 'trunk' THEN l.party2_name ELSE '' END),
                                 lower(\(parameters.add(.text(text))))) > 0
                )
                """
            )
        }
        return try connection.execute(
            """
            SELECT s.name, k.call_id, k.call_start_local::text
            FROM (
                SELECT m.site_id, m.call_id, m.call_start_local
                FROM smdr.leg_match AS m
                WHERE \(conditions.joined(separator: " AND "))
                GROUP BY m.call_start_local, m.site_id, m.call_id
                ORDER BY m.call_start_local DESC, m.site_id DESC, m.call_id DESC
                OFFSET $1 LIMIT $2
            ) AS k
            JOIN smdr.site AS s ON s.id = k.site_id
            ORDER BY k.call_start_local DESC, k.site_id DESC, k.call_id DESC
            """,
            parameters.values
        ).map { Key(site: $0[0].string ?? "", callID: $0[1].int ?? 0, start: $0[2].string ?? "") }
    }

    /// The current charges with these numbers, of these days (a `date[]` literal: only their
    /// partitions are read), by number.
    private static func charges(_ ids: [Int], days: String, on connection: PostgresConnection) throws -> [Int: Charge] {
        guard !ids.isEmpty else { return [:] }
        let list = CopyText.arrayLiteral(Set(ids).sorted().map(String.init))
        var charges: [Int: Charge] = [:]
        for row in try connection.execute(
            """
            SELECT charge_id, kind, scope, rule, trace, calls FROM smdr.charges
            WHERE charge_id = ANY ($1::bigint[]) AND charge_date = ANY ($2::date[])
            """,
            [.text(list), .text(days)]
        ) {
            let id = row[0].int ?? 0
            charges[id] = Charge(
                chargeID: id, kind: row[1].string ?? "", scope: row[2].string ?? "", rule: row[3].string ?? "", trace: row[4].string ?? "",
                calls: row[5].int ?? 0
            )
        }
        return charges
    }
}
