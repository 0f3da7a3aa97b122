extension ExportFormat {
    /// A fresh writer of this format. The firm and the period are used by LEDES (LAW_FIRM_ID,
    /// the invoice and billing dates, the invoice numbers); CSV and JSON lines do not need them.
    package func writer(firm: Firm, period: ExportPeriod) -> any ExportWriter {
        switch self {
        case .csv: CSVExportWriter()
        case .jsonl: JSONLinesExportWriter()
        case .ledes1998b: LEDES1998BWriter(firm: firm, period: period)
        }
    }
}
