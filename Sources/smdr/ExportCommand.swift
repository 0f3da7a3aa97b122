import ArgumentParser
import SMDRCore
import SMDRPipeline
import SMDRPostgres
import SMDRReports

/// `smdr export`: the charges of a period as CSV, JSON lines or LEDES 1998B.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the charges of a period as CSV, JSON lines or LEDES 1998B.",
        discussion: """
            One row (or object, or LEDES line item) per charge of smdr.charges whose local day is in \
            --from … --to, read from one snapshot: a re-rate switching meanwhile is in the file entirely \
            or not at all. csv: RFC 4180, UTF-8, with the calls each charge covers; a cell a spreadsheet \
            would run as a formula is prefixed with '. jsonl: one object per line, amounts as strings. \
            ledes1998b: one invoice per client, matter and currency; fees as F lines (activity A106), \
            carrier cost as E lines (E105). --output replaces FILE only once the export is complete.
            """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var firm: FirmOptions

    @Option(help: ArgumentHelp("csv, jsonl or ledes1998b.", valueName: "format"))
    var format: String
    @Option(help: ArgumentHelp("First local day of the charges.", valueName: "YYYY-MM-DD"))
    var from: String
    @Option(help: ArgumentHelp("Last local day of the charges, included.", valueName: "YYYY-MM-DD"))
    var to: String
    @Option(help: ArgumentHelp("Only this client's charges.", valueName: "client_id"))
    var client: String?
    @Option(help: ArgumentHelp("Only this matter's charges (with --client).", valueName: "matter_id"))
    var matter: String?
    @Option(help: ArgumentHelp("Write to FILE instead of standard output.", valueName: "file"))
    var output: String?
    @Option(help: ArgumentHelp("LEDES INVOICE_DATE (default: --to, so the same export is the same file).", valueName: "YYYY-MM-DD"))
    var invoiceDate: String?
    @Option(help: ArgumentHelp("LEDES LAW_FIRM_ID (default: $SMDR_LAW_FIRM_ID, else smdr).", valueName: "id"))
    var lawFirmID: String?

    func validate() throws {
        guard ExportFormat(rawValue: self.format) != nil else {
            throw ValidationError("--format '\(self.format)': expected one of \(ExportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        _ = try PeriodArguments.period(from: self.from, to: self.to)
        if let invoiceDate { _ = try PeriodArguments.date(invoiceDate, flag: "--invoice-date") }
        if self.matter != nil, self.client == nil { throw ValidationError("--matter needs --client: a matter ID is unique within its client") }
        if self.output?.isEmpty == true { throw ValidationError("--output '': expected a file name, or - for standard output") }
    }

    func run() async throws {
        let format = ExportFormat(rawValue: self.format)!
        let period = try PeriodArguments.period(from: self.from, to: self.to)
        let settings = try await self.firm.settings(OutputSettings.Flags(lawFirmID: self.lawFirmID))
        if format == .ledes1998b, settings.lawFirmIDIsDefault {
            FileDescriptorOutput.standardError(
                "smdr: warning: LAW_FIRM_ID is '\(OutputSettings.defaultLawFirmID)': set SMDR_LAW_FIRM_ID (or --law-firm-id) to the ID your clients know the firm by\n"
            )
        }
        let run = ExportRun(
            format: format,
            filter: ReportStore.ChargeFilter(from: period.from, to: period.to, clientID: self.client, matterID: self.matter),
            period: ExportPeriod(from: period.from, to: period.to, invoiceDate: try self.invoiceDate.map { try PeriodArguments.date($0, flag: "--invoice-date") }),
            firm: settings.firm
        )
        let destination = OutputDestination(path: self.output)
        let summary: ExportRun.Summary
        do {
            summary = try await PostgresStore.withOpened(try self.database.selection(), maximumConnections: 1) { store in
                try await run.run(in: store, to: destination)
            }
        } catch {
            throw CommandFailure.exit(for: error)
        }
        guard !summary.stoppedEarly else { return }
        if summary.chargesMissingCalls > 0 {
            FileDescriptorOutput.standardError(
                "smdr: warning: \(summary.chargesMissingCalls) charge\(summary.chargesMissingCalls == 1 ? "'s" : "s'") calls were not all found "
                    + "(their external parties and minutes are missing); smdr rate --rerate over the period writes them again\n"
            )
        }
        let invoices = summary.invoices.map { " in \($0) invoice\($0 == 1 ? "" : "s")" } ?? ""
        FileDescriptorOutput.standardError("exported \(summary.charges) charge\(summary.charges == 1 ? "" : "s")\(invoices) to \(destination.name)\n")
    }
}
