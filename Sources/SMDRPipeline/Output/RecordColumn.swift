public import SMDRCore

/// One output column of a parsed record: its name and how to read it.
///
/// The single list of columns behind every flat rendering of a ``CallRecord`` (JSON lines,
/// CSV, tables), so the formats cannot drift apart. Names are snake_case, as in `call_leg`.
public struct RecordColumn: Sendable {
    /// A typed cell value.
    public enum Value: Equatable, Sendable {
        case null
        case text(String)
        case integer(Int)
        case boolean(Bool)
        /// An exact decimal, rendered as text so no reader turns it into a binary float.
        case decimal(ExactDecimal)
        case dateTime(LocalDateTime)
        case list([String])
    }

    public let name: String
    public let value: @Sendable (CallRecord) -> Value

    public init(_ name: String, _ value: @escaping @Sendable (CallRecord) -> Value) {
        self.name = name
        self.value = value
    }
}

extension RecordColumn {
    /// Every field of a ``CallRecord``, in SMDR field order, with devices split into code, kind and number.
    public static let all: [RecordColumn] = [
        RecordColumn("call_start") { .dateTime($0.callStart) },
        RecordColumn("connected_seconds") { .integer($0.connectedSeconds) },
        RecordColumn("ring_seconds") { .integer($0.ringSeconds) },
        RecordColumn("caller") { .text($0.caller) },
        RecordColumn("caller_number") { .text($0.callerNumber) },
        RecordColumn("caller_host") { .optionalText($0.callerHost) },
        RecordColumn("direction") { .text($0.direction == .inbound ? "inbound" : "outbound") },
        RecordColumn("called_number") { .text($0.calledNumber) },
        RecordColumn("dialled_number") { .text($0.dialledNumber) },
        RecordColumn("account_code") { .text($0.accountCode) },
        RecordColumn("is_internal") { $0.isInternal.map(Value.boolean) ?? .null },
        RecordColumn("call_id") { .integer($0.callID) },
        RecordColumn("is_continued") { .boolean($0.isContinued) },
        RecordColumn("party1_device") { .text($0.party1Device.code) },
        RecordColumn("party1_kind") { .text($0.party1Device.kind.rawValue) },
        RecordColumn("party1_number") { $0.party1Device.number.map(Value.integer) ?? .null },
        RecordColumn("party1_name") { .text($0.party1Name) },
        RecordColumn("party2_device") { .text($0.party2Device.code) },
        RecordColumn("party2_kind") { .text($0.party2Device.kind.rawValue) },
        RecordColumn("party2_number") { $0.party2Device.number.map(Value.integer) ?? .null },
        RecordColumn("party2_name") { .text($0.party2Name) },
        RecordColumn("hold_seconds") { .integer($0.holdSeconds) },
        RecordColumn("park_seconds") { .integer($0.parkSeconds) },
        RecordColumn("auth_valid") { $0.authValid.map(Value.boolean) ?? .null },
        RecordColumn("auth_code") { .text($0.authCode) },
        RecordColumn("user_charged") { .text($0.userCharged) },
        RecordColumn("call_charge") { $0.callCharge.map(Value.decimal) ?? .null },
        RecordColumn("currency") { .text($0.currency) },
        RecordColumn("amount_at_last_user_change") { $0.amountAtLastUserChange.map(Value.decimal) ?? .null },
        RecordColumn("call_units") { $0.callUnits.map(Value.integer) ?? .null },
        RecordColumn("units_at_last_user_change") { $0.unitsAtLastUserChange.map(Value.integer) ?? .null },
        RecordColumn("cost_per_unit") { $0.costPerUnit.map(Value.integer) ?? .null },
        RecordColumn("mark_up") { $0.markUp.map(Value.decimal) ?? .null },
        RecordColumn("targeter") { .optionalText($0.targetingCause?.targeter) },
        RecordColumn("targeting_reason") { .optionalText($0.targetingCause?.reason) },
        RecordColumn("targeter_id") { .text($0.targeterID) },
        RecordColumn("targeted_number") { .text($0.targetedNumber) },
        RecordColumn("calling_party_server_ip") { .text($0.callingPartyServerIP) },
        RecordColumn("caller_unique_call_id") { $0.callerUniqueCallID.map(Value.integer) ?? .null },
        RecordColumn("called_party_server_ip") { .text($0.calledPartyServerIP) },
        RecordColumn("called_unique_call_id") { $0.calledUniqueCallID.map(Value.integer) ?? .null },
        RecordColumn("record_time") { $0.recordTime.map(Value.dateTime) ?? .null },
        RecordColumn("consent_directive") { $0.consentDirective.map(Value.integer) ?? .null },
        RecordColumn("calling_number_verification") { .text($0.callingNumberVerification) },
        RecordColumn("extra_fields") { .list($0.extraFields) },
        RecordColumn("field_count") { .integer($0.fieldCount) },
        RecordColumn("flags") { .list($0.flags.names) },
    ]

    /// The columns `--format table` shows: enough to read a call at a glance.
    public static let summary: [RecordColumn] = Self.all.filter {
        [
            "call_start", "connected_seconds", "ring_seconds", "caller", "direction", "called_number",
            "account_code", "call_id", "is_continued", "party1_device", "party1_name", "party2_device",
            "party2_name",
        ].contains($0.name)
    }
}

extension RecordColumn.Value {
    fileprivate static func optionalText(_ text: String?) -> Self { text.map(Self.text) ?? .null }

    /// Plain text for CSV and tables: empty for null, `true`/`false`, decimals as written.
    public var plainText: String {
        switch self {
        case .null: ""
        case .text(let text): text
        case .integer(let value): String(value)
        case .boolean(let value): value ? "true" : "false"
        case .decimal(let value): value.description
        case .dateTime(let value): value.description
        case .list(let values): values.joined(separator: ";")
        }
    }
}

extension CallRecord.Flags {
    /// The names of the flags that are set, in a fixed order.
    public var names: [String] {
        var names: [String] = []
        if self.contains(.invalidUTF8) { names.append("invalidUTF8") }
        if self.contains(.callStartWithoutSeconds) { names.append("callStartWithoutSeconds") }
        if self.contains(.nonBinaryIsInternal) { names.append("nonBinaryIsInternal") }
        return names
    }
}
