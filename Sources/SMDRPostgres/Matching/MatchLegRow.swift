import SMDRCore
package import SMDRRating

/// What the matcher reads of a `smdr.call_leg` row: declared once, column by column, with the
/// select expression's name and type and how the field is read.
package enum MatchLegRow {
    package static func visitColumns<Visitor: ColumnVisitor<CopyTextFieldReader>>(into leg: inout MatchLeg, _ visitor: inout Visitor) {
        visitor.column("site_id", "integer") { leg.key.siteID = $0.int() }
        visitor.column("call_month", "date") { leg.key.callMonth = $0.localDate() }
        visitor.column("call_id", "bigint") { leg.key.callID = $0.int() }
        visitor.column("call_start_local", "timestamp without time zone") { leg.key.startLocal = $0.localDateTime() }
        visitor.column("leg_ordinal", "integer") { leg.key.legOrdinal = $0.int() }
        visitor.column("call_start", "timestamp with time zone") { leg.startEpoch = $0.int() }
        visitor.column("connected_seconds", "bigint") { leg.connectedSeconds = $0.int() }
        visitor.column("ring_seconds", "bigint") { leg.ringSeconds = $0.int() }
        visitor.column("hold_seconds", "bigint") { leg.holdSeconds = $0.int() }
        visitor.column("park_seconds", "bigint") { leg.parkSeconds = $0.int() }
        visitor.column("direction", "text") { leg.direction = $0.string() == "I" ? .inbound : .outbound }
        visitor.column("is_internal", "boolean") { leg.isInternal = $0.optionalBool() }
        visitor.column("is_continued", "boolean") { leg.isContinued = $0.optionalBool() ?? false }
        visitor.column("caller_number", "text") { leg.callerNumber = $0.string() }
        visitor.column("caller_host", "text") { leg.callerHost = $0.optionalString() }
        visitor.column("called_number", "text") { leg.calledNumber = $0.string() }
        visitor.column("dialled_number", "text") { leg.dialledNumber = $0.string() }
        visitor.column("account_code", "text") { leg.accountCode = $0.string() }
        visitor.column("party1_device", "text") { leg.party1Device = Device(code: $0.string()) }
        visitor.column("party1_name", "text") {
            leg.party1Name = $0.string()
            leg.party1Device = Device(code: leg.party1Device.code, name: leg.party1Name)  // by name when the code is out of range
        }
        visitor.column("party2_device", "text") { leg.party2Device = Device(code: $0.string()) }
        visitor.column("party2_name", "text") {
            leg.party2Name = $0.string()
            leg.party2Device = Device(code: leg.party2Device.code, name: leg.party2Name)
        }
        visitor.column("call_charge", "numeric") { leg.callCharge = $0.optionalDecimal() }
        visitor.column("currency", "text") { leg.chargeCurrency = $0.string() }
    }

    /// The columns, by name and type, in select order.
    package static let columns: [(name: String, type: String)] = {
        var list = ColumnList<CopyTextFieldReader>()
        var leg = MatchLeg.placeholder
        Self.visitColumns(into: &leg, &list)
        return list.columns
    }()

    /// The select list: the columns, with `call_start` as whole seconds since 1970.
    static let selectList = Self.columns.map { column in
        column.name == "call_start" ? "extract(epoch FROM l.call_start)::bigint" : "l." + column.name
    }.joined(separator: ", ")

    /// Decodes one `COPY` text row of ``selectList``.
    static func leg(from row: [UInt8]) -> MatchLeg {
        var leg = MatchLeg.placeholder
        var reading = ColumnWriter(encoder: CopyTextFieldReader(row: row))
        Self.visitColumns(into: &leg, &reading)
        return leg
    }
}

extension MatchLeg {
    /// A leg with every field empty, for decoding into.
    static let placeholder = MatchLeg(
        key: LegKey(siteID: 0, callID: 0, startLocal: LocalDateTime(year: 1, month: 1, day: 1, hour: 0, minute: 0), legOrdinal: 0),
        startEpoch: 0, connectedSeconds: 0, direction: .outbound, isInternal: nil, isContinued: false, callerNumber: "",
        calledNumber: "", dialledNumber: "", accountCode: "",
        party1Device: Device(code: ""), party1Name: "", party2Device: Device(code: ""), party2Name: ""
    )
}
