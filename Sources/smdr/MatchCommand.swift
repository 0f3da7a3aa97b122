import ArgumentParser
import Foundation
import SMDRCore
import SMDRPipeline
import SMDRPostgres
import SMDRRating

/// `smdr match`: (re)matches the billable legs of a period against the register.
struct MatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Give the billable legs of a period their client: manual, code, number, default, or the review queue.",
        discussion: """
            Stitches legs into calls, finds each call's billable legs (an internal user and an external \
            party), and matches them by DESIGN §6's precedence: a manual assignment, the registered \
            account code entered, the external number (E.164, exact then longest prefix), the \
            extension/user/DDI default; otherwise the call waits in smdr.unassigned_calls. Idempotent: \
            re-run it after changing the register. Manual assignments are never changed. Calls without \
            their final leg are left for a later run until --call-idle has passed.
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: ArgumentHelp("First local day of the calls to match (default: the first stored).", valueName: "YYYY-MM-DD"))
    var from: String?
    @Option(help: ArgumentHelp("Last local day of the calls to match, included (default: the last stored).", valueName: "YYYY-MM-DD"))
    var to: String?
    @Option(help: ArgumentHelp(
        "Seconds after its newest leg that a call without its final leg (Continuation 0) counts as complete.",
        valueName: "seconds"))
    var callIdle: Int = MatchRun.defaultCallIdleSeconds

    func validate() throws {
        for (flag, value) in [("--from", self.from), ("--to", self.to)] {
            if let value, LocalDate(iso: value) == nil { throw ValidationError("\(flag) '\(value)': expected a date YYYY-MM-DD") }
        }
        if let from = self.from.flatMap(LocalDate.init(iso:)), let to = self.to.flatMap(LocalDate.init(iso:)), to < from {
            throw ValidationError("--to \(to) is before --from \(from); expected a period from ≤ to")
        }
        if self.callIdle < 0 { throw ValidationError("--call-idle \(self.callIdle): expected seconds ≥ 0") }
    }

    func run() async throws {
        let run = MatchRun(from: self.from.flatMap(LocalDate.init(iso:)), to: self.to.flatMap(LocalDate.init(iso:)), callIdleSeconds: self.callIdle)
        let summary: MatchRun.Summary
        do {
            summary = try await PostgresStore.withOpened(try self.database.selection(), maximumConnections: 2) { store in
                try await run.run(in: store, nowEpoch: Int(Date().timeIntervalSince1970))
            }
        } catch {
            throw CommandFailure.exit(for: error)
        }
        try FileDescriptorOutput.standardOutput(Self.report(summary))
    }

    static func report(_ summary: MatchRun.Summary) -> String {
        guard let days = summary.days else { return "no legs stored in that period; nothing to match\n" }
        func rules(_ counts: [MatchRule: Int]) -> String {
            let parts = MatchRule.allCases.compactMap { rule in counts[rule].map { "\(rule.rawValue) \($0)" } }
            return parts.isEmpty ? "none" : parts.joined(separator: ", ")
        }
        func count(_ value: Int, _ noun: String) -> String { "\(value) \(noun)\(value == 1 ? "" : "s")" }
        let legs = summary.legs.values.reduce(0, +)
        var text = "matched \(days.lowerBound) to \(days.upperBound): \(count(summary.calls, "call")), "
            + "\(summary.billableCalls) with billable time, \(count(legs, "billable leg"))\n"
        text += "  by rule: \(rules(summary.legs))\n"
        if !summary.keptMonths.isEmpty {
            // Kept months were not replaced: there is no before to compare.
        } else if summary.previousLegs != summary.legs {
            text += "  before:  \(rules(summary.previousLegs))\n"
        } else {
            text += "  unchanged from the last match\n"
        }
        text += "  review queue: \(count(summary.unassignedCalls, "call")) (smdr.unassigned_calls)\n"
        if !summary.keptMonths.isEmpty {
            text += "  closed months kept as they are: \(summary.keptMonths.map { String($0.description.prefix(7)) }.joined(separator: ", "))\n"
        }
        if summary.incompleteCalls > 0 {
            text += "  \(count(summary.incompleteCalls, "call")) not complete yet, left for a later run\n"
        }
        return text
    }
}
