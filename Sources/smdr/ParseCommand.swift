import ArgumentParser
import Foundation
import SMDRCore
import SMDRPipeline

struct ParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse SMDR lines and print one record per line.",
        discussion: """
            Reads a capture (or standard input with '-'), prints each parsed record to standard \
            output, and reports each rejected line on standard error with its line number, error \
            code, field and byte offset. Old Delta Server CSV files (with a header line) are accepted.

            Exit status: 0 when every line parsed, 1 when some were rejected, 2 on usage errors \
            (including an input that cannot be read), 4 when the output cannot be written (a full \
            disk; a closed pipe, as with | head, is not an error).
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, csv, table, summary
    }

    @Argument(help: "SMDR capture file, or '-' for standard input.", completion: .file())
    var file: String = "-"

    @Option(help: "Output format: \(Format.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: Format = .json

    @Option(name: .customLong("max-line-length"), help: "Longest line in bytes; longer lines are rejected as lineTooLong.")
    var maximumLineLength: Int = LineFramer.defaultMaximumLineLength

    func validate() throws {
        guard self.maximumLineLength > 0 else {
            throw ValidationError("--max-line-length must be a positive number of bytes, got \(self.maximumLineLength).")
        }
    }

    func run() throws {
        signal(SIGPIPE, SIG_IGN)  // a closed pipe is EPIPE, which ends the output quietly
        let output: ParseRun.Output =
            switch self.format {
            case .json: .records(.json)
            case .csv: .records(.csv)
            case .table: .records(.table)
            case .summary: .summary
            }
        let summary: ParseRun.Summary
        do {
            let input = try ByteInput(path: self.file)
            summary = try ParseRun(output: output, maximumLineLength: self.maximumLineLength)
                .run(input: input, records: .standardOutput(), errors: .standardError())
            if self.format == .summary {
                let out = ByteOutput.standardOutput()
                out.write(summary.report)
                try out.finish()
            }
        } catch {
            let (message, status) = ExitStatus.classify(error)
            FileDescriptorOutput.standardError("smdr parse: \(message)\n")
            throw ExitCode(status)
        }
        if summary.rejected > 0 { throw ExitCode(ExitStatus.someRejected) }
    }
}
