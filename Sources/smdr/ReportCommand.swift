import ArgumentParser
import SMDRCore
import SMDRPipeline
import SMDRPostgres
import SMDRReports

/// `smdr report`: billed hours and amounts of a period per client, matter, timekeeper and day.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Show billed hours and amounts per client, matter, timekeeper and day, and what is not billed yet.",
        discussion: """
            Sums smdr.charges of the local days --from … --to (one snapshot), per currency, with the \
            review queue (calls waiting for a code) and the legs without a rate plan, so nothing slips. \
            --format table (the default) prints aligned tables with totals; csv and json are for other \
            tools. --html FILE writes the same as a page with charts (inline SVG: bars per client and \
            timekeeper, a line of hours per day).
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, csv, json
    }

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var firm: FirmOptions

    @Option(help: ArgumentHelp("First local day.", valueName: "YYYY-MM-DD"))
    var from: String
    @Option(help: ArgumentHelp("Last local day, included.", valueName: "YYYY-MM-DD"))
    var to: String
    @Option(help: ArgumentHelp("table, csv or json (default table; with --html alone, none).", valueName: "format"))
    var format: Format?
    @Option(help: ArgumentHelp("Write the report as a page with charts to FILE.", valueName: "file"))
    var html: String?
    @Option(help: ArgumentHelp("Write the --format output to FILE instead of standard output.", valueName: "file"))
    var output: String?
    @Option(help: ArgumentHelp("a4 or letter, for the page (default: $SMDR_PAPER, else a4).", valueName: "paper"))
    var paper: String?
    @Option(help: ArgumentHelp("Longest period in days (default: $SMDR_REPORT_MAX_DAYS, else 3660).", valueName: "days"))
    var maxDays: String?

    func validate() throws {
        _ = try PeriodArguments.period(from: self.from, to: self.to)
        if self.output != nil, self.html != nil, self.format == nil {
            throw ValidationError("--output is for the --format output: give --format too, or only --html")
        }
    }

    func run() async throws {
        let period = try PeriodArguments.period(from: self.from, to: self.to)
        let settings = try await self.firm.settings(OutputSettings.Flags(paper: self.paper, reportMaxDays: self.maxDays))
        let days = period.to.daysSince(period.from) + 1
        guard days <= settings.reportMaxDays else {
            throw CommandFailure.exit(for: CommandFailure.usage(
                "--from \(period.from) --to \(period.to) is \(days) days; expected at most \(settings.reportMaxDays) (--max-days, SMDR_REPORT_MAX_DAYS)"
            ))
        }
        do {
            let report = try await PostgresStore.withOpened(try self.database.selection(), maximumConnections: 1) { store in
                try await ReportRun(from: period.from, to: period.to, firm: settings.firm).report(in: store)
            }
            if let html = self.html {
                try await CommandOutput.write(ReportPage.html(report, paper: settings.paper), to: .file(html))
            }
            guard let format = self.format ?? (self.html == nil ? .table : nil) else { return }
            let bytes: [UInt8] = switch format {
            case .table: Array(ReportTable.text(report).utf8)
            case .csv: ReportCSV.bytes(report)
            case .json: ReportJSON.bytes(report)
            }
            try await CommandOutput.write(bytes, to: OutputDestination(path: self.output))
        } catch {
            throw CommandFailure.exit(for: error)
        }
    }
}
