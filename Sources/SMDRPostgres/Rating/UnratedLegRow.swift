import SMDRCore
package import SMDRRating

/// A `smdr.unrated_leg` row, declared once, in `COPY` order; `rating_run` is left to its default,
/// as for ``ChargeRow``.
package enum UnratedLegRow {
    package static func visitColumns<Visitor: ColumnVisitor<CopyTextEncoder>>(of unrated: UnratedLeg, _ visitor: inout Visitor) {
        let match = unrated.leg.match
        visitor.column("site_id", "integer") { $0.append(match.call.siteID) }
        visitor.column("charge_date", "date") { $0.append(date: match.call.startLocal.date) }
        visitor.column("call_id", "bigint") { $0.append(match.call.callID) }
        visitor.column("call_start_local", "timestamp without time zone") { $0.append(timestamp: match.call.startLocal) }
        visitor.column("leg_start_local", "timestamp without time zone") { $0.append(timestamp: match.leg.startLocal) }
        visitor.column("leg_ordinal", "integer") { $0.append(match.leg.legOrdinal) }
        visitor.column("client_id", "text") { $0.append(match.clientID ?? "") }
        visitor.column("matter_id", "text") { $0.append(match.matterID) }
        visitor.column("code", "text") { $0.append(match.code ?? "") }
        visitor.column("timekeeper_id", "text") { $0.append(match.timekeeperID) }
        visitor.column("talk_seconds", "bigint") { $0.append(unrated.leg.talkSeconds) }
        visitor.column("reason", "text") { $0.append(unrated.reason) }
    }

    /// The columns, by name and type, in `COPY` order.
    package static let columns: [(name: String, type: String)] = {
        var list = ColumnList<CopyTextEncoder>()
        Self.visitColumns(of: UnratedLeg(leg: RateLeg(match: .placeholder, talkSeconds: 0, holdSeconds: 0), reason: ""), &list)
        return list.columns
    }()

    static let columnList = Self.columns.map(\.name).joined(separator: ", ")

    /// Appends the row's columns, without ending the row.
    static func encodeContent(_ unrated: UnratedLeg, into encoder: inout CopyTextEncoder) {
        encoder.appendColumns { Self.visitColumns(of: unrated, &$0) }
    }
}
