import SMDRCore

/// `smdr report --format csv`: the report as one table a spreadsheet opens, one row per line of
/// each group (`client`, `matter`, `timekeeper`, `day`, in that order and each as sorted in the
/// report), then one `review_queue` row (calls waiting and their seconds) and one `unrated` row
/// (billable legs without a plan and their seconds), so nothing unbilled is missed.
///
/// Written as the CSV export is (``CSVExportWriter``): RFC 4180, UTF-8, CRLF, text cells (key,
/// label, currency) formula-safe, numbers as they are so a spreadsheet sums them, amounts exact
/// decimals. Cells that do not apply to a row are empty. The `legs` column is used by the
/// `unrated` row only: a leg is not a call, and a count under the wrong heading would be summed
/// with the calls.
package enum ReportCSV {
    package static let columns = [
        "table", "key", "label", "currency", "charges", "calls", "legs", "raw_seconds", "billed_hours", "fees", "expenses", "total",
    ]

    package static func bytes(_ report: BillingReport) -> [UInt8] {
        var writer = CSVWriter()
        writer.append(Self.columns)
        for (table, lines) in [
            ("client", report.clients), ("matter", report.matters), ("timekeeper", report.timekeepers), ("day", report.days),
        ] {
            for line in lines {
                writer.append([
                    table, CSVWriter.formulaSafe(line.key), CSVWriter.formulaSafe(line.label), CSVWriter.formulaSafe(line.currency),
                    String(line.charges), String(line.calls), "", String(line.rawSeconds), line.billedHours.description,
                    line.fees.description, line.expenses.description, line.total.description,
                ])
            }
        }
        writer.append(["review_queue", "", "", "", "", String(report.reviewQueueCalls), "", String(report.reviewQueueSeconds), "", "", "", ""])
        writer.append(["unrated", "", "", "", "", "", String(report.unratedLegs), String(report.unratedSeconds), "", "", "", ""])
        return writer.bytes
    }
}
