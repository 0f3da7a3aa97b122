import SMDRCore
package import SMDRRating

/// A `smdr.charge` row: the columns the rater derives, declared once, in `COPY` order.
/// `charge_id` is left to its identity and `rating_run` to its default (the writer's
/// transaction sets it), so the encoded columns are the charge's content alone: what a day's
/// digest covers, and the bytes the store copies.
package enum ChargeRow {
    package static func visitColumns<Visitor: ColumnVisitor<CopyTextEncoder>>(of charge: Charge, _ visitor: inout Visitor) {
        visitor.column("kind", "text") { $0.append(charge.kind.rawValue) }
        visitor.column("site_id", "integer") { $0.append(charge.siteID) }
        visitor.column("charge_date", "date") { $0.append(date: charge.date) }
        visitor.column("client_id", "text") { $0.append(charge.clientID) }
        visitor.column("matter_id", "text") { $0.append(charge.matterID) }
        visitor.column("code", "text") { $0.append(charge.code) }
        visitor.column("timekeeper_id", "text") { $0.append(charge.timekeeperID) }
        visitor.column("timekeeper_name", "text") { $0.append(charge.timekeeperName) }
        visitor.column("scope", "text") { $0.append(charge.scope.rawValue) }
        visitor.column("calls", "integer") { $0.append(charge.calls.count) }
        visitor.column("legs", "integer") { $0.append(charge.legs.count) }
        visitor.column("raw_seconds", "bigint") { $0.append(charge.rawSeconds) }
        visitor.column("billed_seconds", "bigint") { $0.append(charge.billedSeconds) }
        visitor.column("billed_hours", "numeric") { $0.append(preformatted: charge.billedHours.description) }
        visitor.column("hourly_rate", "numeric") { $0.append(charge.hourlyRate?.description) }
        visitor.column("amount", "numeric") { $0.append(preformatted: charge.amount.description) }
        visitor.column("currency", "text") { $0.append(charge.currency) }
        visitor.column("plan_id", "text") { $0.append(charge.planID) }
        visitor.column("rule", "text") { $0.append(charge.rules.map(\.rawValue).joined(separator: ",")) }
        visitor.column("trace", "text") { $0.append(charge.trace) }
        visitor.column("blocked", "boolean") { $0.append(charge.blocked) }
        visitor.column("first_start_local", "timestamp without time zone") { $0.append(timestamp: charge.legs.first?.startLocal ?? charge.calls[0].startLocal) }
        visitor.column("call_ids", "bigint[]") { $0.append(preformatted: "{" + charge.calls.map { String($0.callID) }.joined(separator: ",") + "}") }
        visitor.column("call_starts", "timestamp without time zone[]") { $0.append(preformatted: Self.timestamps(charge.calls.map(\.startLocal))) }
        visitor.column("leg_starts", "timestamp without time zone[]") { $0.append(preformatted: Self.timestamps(charge.legs.map(\.startLocal))) }
        visitor.column("leg_ordinals", "integer[]") { $0.append(preformatted: "{" + charge.legs.map { String($0.legOrdinal) }.joined(separator: ",") + "}") }
    }

    /// An array literal of timestamps: `{"2026-04-01 10:00:00",…}` (no character needs escaping).
    private static func timestamps(_ values: [LocalDateTime]) -> String {
        "{" + values.map { "\"\($0)\"" }.joined(separator: ",") + "}"
    }

    /// The columns, by name and type, in `COPY` order.
    package static let columns: [(name: String, type: String)] = {
        var list = ColumnList<CopyTextEncoder>()
        Self.visitColumns(of: .placeholder, &list)
        return list.columns
    }()

    static let columnList = Self.columns.map(\.name).joined(separator: ", ")

    /// Appends the charge's columns, without ending the row.
    static func encodeContent(_ charge: Charge, into encoder: inout CopyTextEncoder) {
        encoder.appendColumns { Self.visitColumns(of: charge, &$0) }
    }
}

extension Charge {
    static let placeholder = Charge(
        kind: .fee, siteID: 0, date: LocalDate(year: 1, month: 1, day: 1), clientID: "", matterID: nil, code: "",
        timekeeperID: nil, timekeeperName: "", scope: .leg, calls: [LegMatch.placeholder.call], legs: [LegMatch.placeholder.leg],
        rawSeconds: 0, billedSeconds: 0, billedHours: ExactDecimal(units: 0, scale: 1), hourlyRate: nil,
        amount: ExactDecimal(units: 0, scale: 2), currency: "", planID: "", rules: [], trace: "", blocked: false
    )
}
