import ArgumentParser
import SMDRCore
import SMDRPostgres

/// `smdr assign`: gives a call a registered code after it ended ("add a billing code").
struct AssignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign",
        abstract: "Give a call a registered billing code (from the review queue, smdr.unassigned_calls).",
        discussion: """
            The code wins over every matching rule and survives every re-match; assigning again replaces \
            it. Records who (the database role) and when. --start is needed only when the Call ID is \
            ambiguous at the site (Call IDs restart after a PBX reboot); the error lists the calls. \
            Other tools can call the SQL function smdr.assign_call(site, call_id, call_start_local, code, note).
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Site name.") var site: String
    @Option(help: "The call's Call ID.") var callID: Int
    @Option(help: ArgumentHelp("Local start of the call's first leg, when the Call ID is ambiguous.", valueName: "YYYY-MM-DD HH:MM:SS"))
    var start: String?
    @Argument(help: "A registered account code (exact, not a pattern).") var code: String
    @Option(help: "Why, for the record.") var note: String = ""

    func validate() throws {
        if let start = self.start, LocalDateTime(iso: start) == nil {
            throw ValidationError("--start '\(start)': expected the call's local start as 'YYYY-MM-DD HH:MM:SS'")
        }
        if self.code.isEmpty { throw ValidationError("CODE is empty: expected a registered account code") }
    }

    func run() async throws {
        let (site, callID, code, note) = (self.site, self.callID, self.code, self.note)
        let start = self.start.flatMap { LocalDateTime(iso: $0) }
        let outcome: AssignmentStore.Outcome
        do {
            outcome = try await PostgresStore.withOpened(try self.database.selection()) { store in
                try await store.withConnection { connection in
                    try AssignmentStore.assign(site: site, callID: callID, start: start, code: code, note: note, on: connection)
                }
            }
        } catch let refusal as AssignmentStore.Refusal {
            FileDescriptorOutput.standardError("smdr assign: \(refusal)\n")
            throw ExitCode(ExitStatus.usage)
        } catch {
            throw CommandFailure.exit(for: error)
        }
        try FileDescriptorOutput.standardOutput(
            "\(site) call \(callID) (started \(outcome.callStartLocal)): code \(code) assigned; \(outcome.legs) billable leg\(outcome.legs == 1 ? "" : "s") now bill\(outcome.legs == 1 ? "s" : "") it\n"
        )
    }
}
