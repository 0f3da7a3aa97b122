import ArgumentParser
import Foundation
import SMDRCore
import SMDRPipeline
import SMDRSimulation

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a deterministic, realistic SMDR stream (CRLF lines) to standard output.",
        discussion: """
            The same --seed and --width always give the same bytes. The stream models a firm with \
            several sites: inbound, outbound and internal calls, transfers with continuation records \
            interleaved with other calls, conferences, voicemail, account codes, SIP callers and \
            UTF-8 names. For benchmarks, demos and load tests (smdr replay).
            """
    )

    @Option(help: "Number of lines to write.")
    var lines: Int

    @Option(help: "Seed of the pseudo-random generator.")
    var seed: UInt64 = 1

    @Option(help: "Fields per line: 30 (IP Office 4.2+), 35 (R10) or 38 (R11+ as seen on the wire); any value from 17 works.")
    var width: Int = 35

    func validate() throws {
        guard self.lines >= 0 else { throw ValidationError("--lines must be 0 or more, got \(self.lines).") }
        guard self.width >= 17 else {
            throw ValidationError("--width must be at least 17 (the shortest SMDR record), got \(self.width).")
        }
    }

    func run() throws {
        signal(SIGPIPE, SIG_IGN)  // a closed pipe is EPIPE, which ends the output quietly
        var generator = StreamGenerator(seed: self.seed, width: self.width)
        let output = ByteOutput.standardOutput()
        for _ in 0..<self.lines where !output.hasEnded {
            output.write(bytes: generator.nextLine())
            output.write(bytes: [0x0D, 0x0A])
        }
        do {
            try output.finish()
        } catch {
            FileDescriptorOutput.standardError("smdr generate: \(error)\n")
            throw ExitCode(ExitStatus.failure)
        }
    }
}
