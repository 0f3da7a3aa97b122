import SMDRCore
import SMDRRating
import SMDRReports

/// The rows `smdr export` and statements read: one row per charge and call it covers (a charge of
/// several calls, `client_day`, comes as consecutive rows with the same charge columns), in the
/// export order, decoded into ``ExportCharge``s.
enum ExportChargeRow {
    /// `charges` with its invoice total (`c`), the timekeeper (`t`) and the calls (`k`, a lateral join).
    static let selectList = """
        c.charge_id, c.rating_run, c.kind, c.site, c.client_id, coalesce(c.client_name, ''), c.matter_id, c.matter_name,
        c.code, c.timekeeper_id, c.timekeeper_name, nullif(t.classification, ''), c.charge_date, c.scope, c.calls, c.legs,
        c.raw_seconds, c.billed_seconds, c.billed_hours, c.hourly_rate, c.amount, c.currency, c.plan_id, c.rule, c.trace,
        c.blocked, c.first_start_local, c.closed, c.invoice_total,
        k.call_id, k.call_start, k.direction, k.external_number, k.external_e164, k.external_name, k.seconds
        """

    /// The calls of charge `c`: each call's first leg covered gives the direction and the external
    /// party (the trunk party's name is the caller's name as the PBX got it); the seconds are the
    /// charge's legs' talk in that call, plus their hold when the charge billed hold — which the
    /// charge itself says (its `raw_seconds` is more than the legs' talk), not today's plan, so a
    /// plan edited or deleted since does not change what an old charge shows.
    ///
    /// Each (call, leg) pair of the charge is probed by the whole primary key of `leg_match`, and
    /// the leg must bill the charge's client and timekeeper (a leg of another call that starts in
    /// the same second is not the charge's); a one-call charge costs two index probes and the
    /// partition is chosen at run time (`= ANY (call_ids)` let the planner scan a partition per
    /// charge instead).
    static let callsJoin = """
        LEFT JOIN LATERAL (
            SELECT y.call_id, y.call_start,
                   (array_agg(y.direction ORDER BY y.leg_start, y.leg_ordinal))[1] AS direction,
                   (array_agg(y.external_number ORDER BY y.leg_start, y.leg_ordinal))[1] AS external_number,
                   (array_agg(y.external_e164 ORDER BY y.leg_start, y.leg_ordinal) FILTER (WHERE y.external_e164 IS NOT NULL))[1]
                       AS external_e164,
                   coalesce((array_agg(y.trunk_name ORDER BY y.leg_start, y.leg_ordinal) FILTER (WHERE y.trunk_name <> ''))[1], '')
                       AS external_name,
                   sum(y.talk + CASE WHEN y.hold_billed THEN y.hold ELSE 0 END)::bigint AS seconds
            FROM (
                SELECT m.call_id, m.call_start_local AS call_start, m.leg_start_local AS leg_start, m.leg_ordinal,
                       l.direction, m.external_number, m.external_e164,
                       CASE WHEN l.party1_kind = 'trunk' THEN l.party1_name WHEN l.party2_kind = 'trunk' THEN l.party2_name END
                           AS trunk_name,
                       l.connected_seconds AS talk, l.hold_seconds AS hold,
                       c.kind = 'fee' AND sum(l.connected_seconds) OVER () <> c.raw_seconds AS hold_billed
                FROM unnest(c.call_ids, c.call_starts) AS q (call_id, call_start)
                CROSS JOIN unnest(c.leg_starts, c.leg_ordinals) AS g (leg_start, leg_ordinal)
                JOIN smdr.leg_match AS m
                  ON m.site_id = c.site_id AND m.call_id = q.call_id AND m.call_start_local = q.call_start
                 AND m.leg_start_local = g.leg_start AND m.leg_ordinal = g.leg_ordinal
                 AND m.client_id = c.client_id AND m.timekeeper_id IS NOT DISTINCT FROM c.timekeeper_id
                JOIN smdr.call_leg AS l
                  ON l.site_id = m.site_id AND l.call_month = m.call_month AND l.call_id = m.call_id
                 AND l.call_start_local = m.leg_start_local AND l.leg_ordinal = m.leg_ordinal
            ) AS y
            GROUP BY y.call_id, y.call_start
        ) AS k ON true
        """

    /// The export order (``ExportWriter``), then the calls by start. Text keys sort bytewise
    /// (`COLLATE "C"`), so the order — and a closed month's statement — does not depend on the
    /// database's collation or the C library's version.
    static let orderBy = """
        c.client_id COLLATE "C", c.matter_id COLLATE "C" NULLS FIRST, c.currency COLLATE "C", c.charge_date,
        c.first_start_local, c.kind = 'expense', c.charge_id, k.call_start, k.call_id
        """

    /// The `COPY … TO STDOUT` of the charges `filter` (SQL over `c`, with no parameters) selects.
    /// Each row carries its LEDES invoice's total (client, matter and currency, within the
    /// filter), so the LEDES writer streams lines instead of holding an invoice.
    static func copy(where filter: String) -> String {
        """
        COPY (SELECT \(Self.selectList)
              FROM (SELECT c.*, sum(c.amount) OVER (PARTITION BY c.client_id, c.matter_id, c.currency) AS invoice_total
                    FROM smdr.charges AS c
                    WHERE \(filter)) AS c
              LEFT JOIN smdr.timekeeper AS t ON t.timekeeper_id = c.timekeeper_id
              \(Self.callsJoin)
              ORDER BY \(Self.orderBy))
        TO STDOUT
        """
    }

    /// Decodes one row: the charge (with no calls yet) and the call, `nil` when none was found.
    static func decode(_ row: [UInt8]) throws -> (charge: ExportCharge, call: ExportCall?) {
        var reader = CopyTextFieldReader(row: row)
        let zero = ExactDecimal(units: 0, scale: 0)
        let chargeID = Int64(reader.int())
        let ratingRun = Int64(reader.int())
        let kindText = reader.string()
        guard let kind = Charge.Kind(rawValue: kindText) else {
            throw PostgresError(code: .unexpectedResult, message: "charge \(chargeID) has kind '\(kindText)'; expected fee or expense")
        }
        let charge = ExportCharge(
            chargeID: chargeID, ratingRun: ratingRun, kind: kind, site: reader.string(), clientID: reader.string(),
            clientName: reader.string(), matterID: reader.optionalString(), matterName: reader.optionalString(),
            code: reader.string(), timekeeperID: reader.optionalString(), timekeeperName: reader.string(),
            timekeeperClassification: reader.optionalString(), chargeDate: reader.localDate(), scope: reader.string(),
            callCount: reader.int(), legCount: reader.int(), rawSeconds: reader.int(), billedSeconds: reader.int(),
            billedHours: reader.optionalDecimal() ?? zero, hourlyRate: reader.optionalDecimal(),
            amount: reader.optionalDecimal() ?? zero, currency: reader.string(), planID: reader.string(), rule: reader.string(),
            trace: reader.string(), blocked: reader.optionalBool() ?? false, firstStartLocal: reader.localDateTime(),
            closed: reader.optionalBool() ?? false, calls: [], invoiceTotal: reader.optionalDecimal()
        )
        guard let callID = reader.optionalInt() else { return (charge, nil) }
        let call = ExportCall(
            callID: callID, start: reader.localDateTime(), direction: reader.string(), externalNumber: reader.string(),
            externalE164: reader.optionalString(), externalName: reader.string(), seconds: reader.int()
        )
        return (charge, call)
    }
}
