import ArgumentParser
import SMDRCore
import SMDRPipeline
import SMDRPostgres
import SMDRReports
import UnixSignals

/// `smdr statement`: one client's monthly statement, as an HTML page and a PDF of it.
struct StatementCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statement",
        abstract: "Write a client's statement for a month: an HTML page, and a PDF of it.",
        discussion: """
            One self-contained page (no external assets; prints on A4 or Letter, --paper): the firm and \
            the client, each call itemised with its time, timekeeper, external party, minutes, billed \
            hours, rate and amount, subtotals per matter and code, expenses, totals per currency and the \
            Billing Code Summary. Read from one snapshot of smdr.charges. A closed month's statement \
            (smdr period close) is the same bytes whenever it is made; an open month's says DRAFT. \
            --pdf prints the page with headless Chromium (Debian package chromium). Without --html or \
            --pdf the page goes to standard output.
            """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var firm: FirmOptions

    @Option(help: ArgumentHelp("The client (client_id).", valueName: "client_id"))
    var client: String
    @Option(help: ArgumentHelp("The month.", valueName: "YYYY-MM"))
    var month: String
    @Option(help: ArgumentHelp("Write the page to FILE.", valueName: "file"))
    var html: String?
    @Option(help: ArgumentHelp("Print the page to FILE as PDF with headless Chromium.", valueName: "file"))
    var pdf: String?
    @Option(help: ArgumentHelp("a4 or letter (default: $SMDR_PAPER, else a4).", valueName: "paper"))
    var paper: String?
    @Option(help: ArgumentHelp("The Chromium to print with (default: $SMDR_CHROMIUM, else chromium on PATH).", valueName: "path"))
    var chromium: String?
    @Option(help: ArgumentHelp("Longest the PDF may take (default: $SMDR_PDF_TIMEOUT, else 60s).", valueName: "duration"))
    var pdfTimeout: String?

    func validate() throws {
        _ = try PeriodCommand.month(self.month)
        if self.html == self.pdf, self.html != nil { throw ValidationError("--html and --pdf name the same file; expected two files") }
    }

    func run() async throws {
        let month = try PeriodCommand.month(self.month)
        let settings = try await self.firm.settings(
            OutputSettings.Flags(paper: self.paper, chromium: self.chromium, pdfTimeout: self.pdfTimeout)
        )
        do {
            // Chromium is found first: a missing browser fails before anything is read or written.
            let printer = try self.pdf.map { _ in try ChromiumPrinter(configured: settings.chromium, timeout: settings.pdfTimeout) }
            let input = try await PostgresStore.withOpened(try self.database.selection(), maximumConnections: 1) { store in
                try await StatementRun(clientID: self.client, month: month, firm: settings.firm, paper: settings.paper).input(in: store)
            }
            let page = StatementPage.html(input)
            if self.html == nil, self.pdf == nil {
                try await CommandOutput.write(page, to: .standardOutput)
                return
            }
            if let html = self.html { try await CommandOutput.write(page, to: .file(html)) }
            if let pdf = self.pdf, let printer {
                try await Self.untilInterrupted { try await printer.printPDF(html: page, to: pdf, documentDate: input.closedOn) }
            }
        } catch {
            throw CommandFailure.exit(for: error)
        }
    }

    /// Runs `body`, cancelling it on SIGINT or SIGTERM: Chromium runs in a process group of its
    /// own, out of the terminal's reach, so the print is stopped (and its files removed) this way.
    static func untilInterrupted(_ body: @escaping @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await body()
                return true
            }
            group.addTask {
                for await _ in await UnixSignalsSequence(trapping: .sigint, .sigterm) { return false }
                return false
            }
            let finished = try await group.next() ?? false
            group.cancelAll()
            if !finished { throw CommandFailure.failure("interrupted: no PDF was written") }
        }
    }
}
