/// The formats of `smdr export` (DESIGN §8).
package enum ExportFormat: String, Sendable, CaseIterable {
    /// One row per charge with its calls: RFC 4180, UTF-8, no formula runs in a spreadsheet.
    case csv
    /// One JSON object per line and charge; amounts as strings (exact decimals); with the trace.
    case jsonl
    /// LEDES 1998B: one invoice per client, matter and currency; fees `F` (A106), carrier cost `E` (E105).
    case ledes1998b
}
