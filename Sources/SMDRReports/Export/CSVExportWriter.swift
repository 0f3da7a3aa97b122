import SMDRCore
import SMDRRating

/// `smdr export --format csv`: one row per charge with its calls, for a spreadsheet or a
/// time-and-billing import. RFC 4180 as ``CSVWriter`` writes it (UTF-8 without a byte order mark,
/// CRLF, quoted only where needed), a header row of ``columns``, a NULL as an empty cell.
///
/// **Spreadsheet-safe.** Every text cell (names, ids, codes, numbers as dialled, the trace) goes
/// through ``CSVWriter/formulaSafe(_:)``: when its first character after any leading spaces is `=`,
/// `+`, `-`, `@`, TAB, CR, LF or a full-width `＝` `＋` `－` `＠`, it is prefixed with `'`, so a
/// caller named `=HYPERLINK("x")` shows as text and runs nothing (and `+442079460000` keeps its
/// plus instead of becoming a number). Typed cells are written as they are so a spreadsheet still
/// sums and sorts them: integers, decimals exactly as ``ExactDecimal/description`` (`0.2`,
/// `60.00`, `101`), dates `YYYY-MM-DD`, times `YYYY-MM-DD HH:MM:SS`, booleans `true`/`false`.
///
/// The call columns hold each of the charge's calls' values joined with `; ` in call order (most
/// charges cover one call).
package struct CSVExportWriter: ExportWriter {
    /// The header: `smdr.charges`' columns (DESIGN §7) in its order, the names and flags a bill
    /// needs, then the calls.
    package static let columns: [String] = [
        "charge_id", "rating_run", "kind", "site", "client_id", "matter_id", "code", "timekeeper_id", "timekeeper_name",
        "charge_date", "scope", "calls", "legs", "raw_seconds", "billed_seconds", "billed_hours", "hourly_rate", "amount",
        "currency", "plan_id", "rule", "trace",
        "client_name", "matter_name", "timekeeper_classification", "blocked", "first_start_local", "closed",
        "call_ids", "call_starts", "directions", "external_numbers", "external_e164", "external_names", "call_seconds",
    ]

    /// Between the values of one charge's calls in a call column.
    static let callSeparator = "; "

    private var row: [String] = []

    package init() {}

    package mutating func start(into output: inout [UInt8]) {
        CSVWriter.appendRecord(Self.columns, to: &output)
    }

    package mutating func append(_ charge: ExportCharge, into output: inout [UInt8]) throws(ExportError) {
        func text(_ value: String?) -> String { value.map(CSVWriter.formulaSafe) ?? "" }
        func joined(_ values: (ExportCall) -> String) -> String {
            charge.calls.map(values).joined(separator: Self.callSeparator)
        }
        self.row.removeAll(keepingCapacity: true)
        self.row += [
            String(charge.chargeID), String(charge.ratingRun), text(charge.kind.rawValue), text(charge.site),
            text(charge.clientID), text(charge.matterID), text(charge.code), text(charge.timekeeperID),
            text(charge.timekeeperName), charge.chargeDate.description, text(charge.scope), String(charge.callCount),
            String(charge.legCount), String(charge.rawSeconds), String(charge.billedSeconds),
            charge.billedHours.description, charge.hourlyRate?.description ?? "", charge.amount.description,
            text(charge.currency), text(charge.planID), text(charge.rule), text(charge.trace),
            text(charge.clientName), text(charge.matterName), text(charge.timekeeperClassification),
            String(charge.blocked), charge.firstStartLocal.description, String(charge.closed),
            // Lists of smdr's own integers and times: typed, never a formula.
            joined { String($0.callID) }, joined { $0.start.description },
            text(joined { $0.direction }), text(joined { $0.externalNumber }), text(joined { $0.externalE164 ?? "" }),
            text(joined { $0.externalName }), joined { String($0.seconds) },
        ]
        CSVWriter.appendRecord(self.row, to: &output)
    }

    package mutating func finish(into output: inout [UInt8]) throws(ExportError) {}
}
