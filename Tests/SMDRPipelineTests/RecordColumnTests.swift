import SMDRPipeline
import SMDRPostgres
import Testing

/// The output columns of `smdr parse` and the `call_leg` columns are the same record fields
/// under the same names, in the same order, but for the differences listed here: a new field
/// added to one list and not the other, or a renamed one, fails.
struct RecordColumnTests {
    /// Output name -> `call_leg` name, where they differ.
    static let renamed = [
        "call_start": "call_start_local",
        "targeter": "targeting_cause_targeter",
        "targeting_reason": "targeting_cause_reason",
    ]
    /// `call_leg` columns that are not record fields (the key, the resolved instant).
    static let legOnly: Set = ["site_id", "call_month", "raw_sha256", "call_start", "time_ambiguous", "time_nonexistent"]
    /// The output's `flags` list holds what `call_leg` keeps in one boolean column per flag.
    static let flagColumns: Set = [
        "has_invalid_utf8", "call_start_without_seconds", "record_time_without_seconds", "non_binary_is_internal",
    ]

    @Test func recordColumnsAreTheCallLegRecordFields() {
        let output = RecordColumn.all.map(\.name).filter { $0 != "flags" }.map { Self.renamed[$0] ?? $0 }
        let leg = CallLegRow.columns.map(\.name).filter { !Self.legOnly.contains($0) && !Self.flagColumns.contains($0) }
        #expect(output == leg)
        #expect(RecordColumn.all.last?.name == "flags")
        #expect(Self.flagColumns.isSubset(of: CallLegRow.columns.map(\.name)))
    }
}
