package import SMDRCore

/// What an export covers, as given on the command line (`--from`, `--to`, both inclusive): the
/// billing start and end dates of a LEDES invoice, and its invoice date.
package struct ExportPeriod: Sendable, Hashable {
    package var from: LocalDate
    package var to: LocalDate
    /// LEDES `INVOICE_DATE`: `--invoice-date`, by default `to`, so the same export is the same
    /// file whenever it is made.
    package var invoiceDate: LocalDate

    package init(from: LocalDate, to: LocalDate, invoiceDate: LocalDate? = nil) {
        self.from = from
        self.to = to
        self.invoiceDate = invoiceDate ?? to
    }
}
