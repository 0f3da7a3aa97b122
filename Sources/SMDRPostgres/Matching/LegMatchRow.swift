import SMDRCore
package import SMDRRating

/// A `smdr.leg_match` row: the columns the store writes, declared once, in `COPY` order
/// (`matched_at` is left to its default).
package enum LegMatchRow {
    package static func visitColumns<Visitor: ColumnVisitor<CopyTextEncoder>>(of match: LegMatch, _ visitor: inout Visitor) {
        visitor.column("site_id", "integer") { $0.append(match.leg.siteID) }
        visitor.column("call_month", "date") { $0.append(date: match.leg.callMonth) }
        visitor.column("call_id", "bigint") { $0.append(match.leg.callID) }
        visitor.column("leg_start_local", "timestamp without time zone") { $0.append(timestamp: match.leg.startLocal) }
        visitor.column("leg_ordinal", "integer") { $0.append(match.leg.legOrdinal) }
        visitor.column("call_start_local", "timestamp without time zone") { $0.append(timestamp: match.call.startLocal) }
        visitor.column("kind", "text") { $0.append(match.kind.rawValue) }
        visitor.column("user_extension", "text") { $0.append(match.userExtension) }
        visitor.column("user_name", "text") { $0.append(match.userName) }
        visitor.column("timekeeper_id", "text") { $0.append(match.timekeeperID) }
        visitor.column("entered_code", "text") { $0.append(match.enteredCode) }
        visitor.column("code", "text") { $0.append(match.code) }
        visitor.column("client_id", "text") { $0.append(match.clientID) }
        visitor.column("matter_id", "text") { $0.append(match.matterID) }
        visitor.column("match_rule", "text") { $0.append(match.rule.rawValue) }
        visitor.column("unverified", "boolean") { $0.append(match.unverified) }
        visitor.column("blocked", "boolean") { $0.append(match.blocked) }
        visitor.column("external_number", "text") { $0.append(match.externalNumber) }
        visitor.column("external_e164", "text") { $0.append(match.externalE164) }
    }

    /// The columns, by name and type, in `COPY` order.
    package static let columns: [(name: String, type: String)] = {
        var list = ColumnList<CopyTextEncoder>()
        Self.visitColumns(of: .placeholder, &list)
        return list.columns
    }()

    static let columnList = Self.columns.map(\.name).joined(separator: ", ")

    /// Appends one row.
    static func encode(_ match: LegMatch, into encoder: inout CopyTextEncoder) {
        encoder.appendColumns { Self.visitColumns(of: match, &$0) }
        encoder.endRow()
    }
}

extension LegMatch {
    static let placeholder = LegMatch(
        leg: MatchLeg.placeholder.key,
        call: CallKey(siteID: 0, callID: 0, startLocal: MatchLeg.placeholder.key.startLocal),
        kind: .talk, userExtension: "", userName: "", timekeeperID: nil, enteredCode: "", code: nil, clientID: nil,
        matterID: nil, rule: .unassigned, unverified: false, blocked: false, externalNumber: "", externalE164: nil
    )
}
