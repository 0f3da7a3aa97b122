import ArgumentParser
import Foundation
import SMDRCore
import SMDRPipeline
import SMDRPostgres
import Synchronization

/// `smdr ingest [--site NAME] FILE…|-`: load SMDR capture files, exactly once.
struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Load SMDR capture files (or - for stdin) into the database, exactly once.",
        discussion: """
            Every line lands in smdr.raw_record byte for byte, parsed lines also in smdr.call_leg; lines that \
            do not parse are stored with their error. Lines already stored for the site (from a file or a PBX \
            connection) are counted as duplicates and not stored again, so re-running is safe. A Delta Server \
            header line is skipped. Prints a summary line; shows progress on a terminal for large inputs. \
            Each rejected line this run stores is reported on standard error (FILE:LINE: rejected: CODE in \
            field N at byte B), the first --max-reported-rejects of them; smdr rejects lists them later.

            Exit status: 0 all lines loaded (or every rejected line was stored by an earlier run), 1 this run \
            stored rejected lines (with their error), 2 usage error (bad option, unreadable file), 3 database \
            error, 4 other failure.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Site (PBX) the lines come from; may be left out when there is one site. With no site at all yet, it (default: 'default') is created.")
    var site: String?

    @Option(
        name: .customLong("time-zone"),
        help: "IANA time zone of a new site's PBX clock (default: this system's zone)."
    )
    var timeZone: String?

    @Option(name: .customLong("batch-lines"), help: "Most lines per transaction.")
    var batchLines: Int = FileIngestor.Configuration().maximumBatchLines

    @Option(name: .customLong("batch-bytes"), help: "Most line bytes per transaction.")
    var batchBytes: Int = FileIngestor.Configuration().maximumBatchBytes

    @Option(name: .customLong("max-line-length"), help: "Longest line kept whole, in bytes; longer lines are stored truncated and rejected.")
    var maximumLineLength: Int = LineFramer.defaultMaximumLineLength

    @Option(
        name: .customLong("max-reported-rejects"),
        help: "Most rejected lines reported one by one on standard error; the rest are counted."
    )
    var maximumReportedRejections: Int = FileIngestor.Configuration().maximumReportedRejections

    @Flag(name: .customLong("no-progress"), help: "Never show the progress bar.")
    var noProgress = false

    @Argument(help: ArgumentHelp("Capture files; - reads stdin.", valueName: "file"), completion: .file())
    var files: [String] = []

    func run() async throws {
        do {
            try self.check()
            let selection = try self.database.selection()
            let summary = try await PostgresStore.withOpened(selection, maximumConnections: 2) { store in
                let siteName = self.site
                let zone = self.timeZone ?? TimeZone.current.identifier
                let (site, notice) = try await store.withConnection { connection in
                    try Site.forIngest(named: siteName, timeZoneIdentifier: zone, on: connection)
                }
                if let notice { FileDescriptorOutput.standardError("smdr ingest: \(notice)\n") }
                if let requested = self.timeZone, requested != site.timeZone {
                    throw CommandFailure.usage(
                        "site \(site.name) has time zone \(site.timeZone), not \(requested); "
                            + "omit --time-zone, or change the site with smdr site set '\(site.name)' --time-zone ZONE"
                    )
                }
                var storeConfiguration = IngestStore.Configuration()
                storeConfiguration.waitsForDurableCommit = false  // FileIngestor flushes once at the end
                var ingestConfiguration = FileIngestor.Configuration()
                ingestConfiguration.maximumLineLength = self.maximumLineLength
                ingestConfiguration.maximumReportedRejections = self.maximumReportedRejections
                ingestConfiguration.maximumBatchLines = self.batchLines
                ingestConfiguration.maximumBatchBytes = self.batchBytes
                let ingestor = FileIngestor(
                    store: try IngestStore(store: store, site: site, configuration: storeConfiguration),
                    configuration: ingestConfiguration
                )
                let bar = ProgressBar(isEnabled: !self.noProgress && isatty(STDERR_FILENO) == 1)
                let summary = try await ingestor.ingest(paths: self.files) { bar.update($0) }
                bar.finish()
                return summary
            }
            FileDescriptorOutput.standardError(Self.rejectionReport(summary))
            try FileDescriptorOutput.standardOutput(Self.summaryLine(summary) + "\n")
            if summary.counts.newRejected > 0 {
                throw ExitCode(ExitStatus.someRejected)
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw CommandFailure.exit(for: error)
        }
    }

    /// Checks the arguments before touching the database.
    private func check() throws {
        guard !self.files.isEmpty else {
            throw CommandFailure.usage("no input: give one or more capture files, or - for stdin")
        }
        guard self.batchLines > 0, self.batchBytes > 0, self.maximumLineLength > 0 else {
            throw CommandFailure.usage("--batch-lines, --batch-bytes and --max-line-length must be positive")
        }
        guard self.maximumReportedRejections >= 0 else {
            throw CommandFailure.usage(
                "--max-reported-rejects: expected 0 or a positive whole number, got \(self.maximumReportedRejections)"
            )
        }
        guard self.files.filter({ $0 == "-" }).count <= 1 else {
            throw CommandFailure.usage("- (stdin) can be given only once")
        }
        if let zone = self.timeZone, TimeZone(identifier: zone) == nil {
            throw CommandFailure.usage("unknown time zone \(zone): use an IANA name such as Europe/London")
        }
        for file in self.files where file != "-" {
            guard FileManager.default.isReadableFile(atPath: file) else {
                throw CommandFailure.usage("cannot read \(file): no such file, or no permission")
            }
        }
    }

    /// One line per rejected line this run stored, then `… and N more rejected lines`.
    static func rejectionReport(_ summary: FileIngestor.Summary) -> String {
        var report = summary.rejections.map { "\($0)\n" }.joined()
        let more = summary.counts.newRejected - summary.rejections.count
        if more > 0 {
            report += "… and \(more) more rejected line\(more == 1 ? "" : "s") (smdr rejects lists them)\n"
        }
        return report
    }

    /// `read 3000, new 2990, duplicate 10, rejected 1 (1 new) in 0.52 s (5769 lines/s)`.
    static func summaryLine(_ summary: FileIngestor.Summary) -> String {
        var line = "\(summary.counts)"
        if summary.counts.rejected > 0 { line += " (\(summary.counts.newRejected) new)" }
        line += " in \(String(format: "%.2f", summary.elapsedSeconds)) s "
            + "(\(Int(summary.linesPerSecond.rounded())) lines/s)"
        if summary.headerLines > 0 { line += "; skipped \(summary.headerLines) header line(s)" }
        return line
    }
}

/// A one-line progress bar on stderr, for inputs of at least ``minimumBytes``.
private final class ProgressBar: Sendable {
    /// Inputs smaller than this (8 MiB) finish too fast to need a bar.
    static let minimumBytes: Int64 = 8 << 20
    /// Redraws at most this often.
    static let interval = Duration.milliseconds(200)

    private let isEnabled: Bool
    private let state = Mutex<(drawn: Bool, last: ContinuousClock.Instant?)>((false, nil))

    init(isEnabled: Bool) {
        self.isEnabled = isEnabled
    }

    func update(_ progress: FileIngestor.Progress) {
        guard self.isEnabled else { return }
        let now = ContinuousClock.now
        let shouldDraw = self.state.withLock { state in
            if let last = state.last, now - last < Self.interval { return false }
            state.last = now
            return true
        }
        guard shouldDraw else { return }
        let rate = progress.elapsedSeconds > 0 ? Int(Double(progress.counts.read) / progress.elapsedSeconds) : 0
        var text: String
        if let total = progress.totalBytes {
            guard total >= Self.minimumBytes else { return }
            let fraction = min(1, Double(progress.bytesRead) / Double(max(total, 1)))
            let width = 30
            let filled = Int(fraction * Double(width))
            text = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] "
            text += String(format: "%3d%% ", Int(fraction * 100))
        } else {
            guard progress.bytesRead >= Self.minimumBytes else { return }
            text = "\(progress.bytesRead >> 20) MiB "
        }
        text += "\(progress.counts.read) lines, \(rate) lines/s"
        FileDescriptorOutput.standardError("\r" + text + "\u{1B}[K")
        self.state.withLock { $0.drawn = true }
    }

    func finish() {
        if self.state.withLock({ $0.drawn }) {
            FileDescriptorOutput.standardError("\r\u{1B}[K")
        }
    }
}
