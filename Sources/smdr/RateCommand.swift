import ArgumentParser
import Foundation
import SMDRCore
import SMDRPipeline
import SMDRPostgres
import SMDRRating

/// `smdr rate`: matches and rates what is new; `--rerate` a whole period, reporting what changed.
struct RateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rate",
        abstract: "Turn matched billable legs into charges (smdr.charges): new calls, or --rerate a period.",
        discussion: """
            Without --rerate: matches and rates the calls completed since the last run (and the days \
            of codes assigned since), cheap enough to run every few minutes (smdr serve does, every \
            --rate-interval). With --rerate --from D --to D: re-matches and re-rates every call of the \
            period (after a register, plan or rate change; nightly by deploy/smdr-rerate.timer) and \
            prints what changed per client and matter. Either way only the days whose charges change \
            get a new rating run, switched in one transaction; the same inputs make no run ("no \
            change"). Closed months (smdr period) are left as they are: what a re-rate would change \
            there is printed, and the exit status is then 1.
            """
    )

    /// How long `smdr rate` waits for another run by default: 60 s (serve's runs take seconds).
    static let defaultWaitSeconds = 60

    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Re-match and re-rate every call of the period --from … --to.")
    var rerate = false
    @Option(help: ArgumentHelp("With --rerate: first local day of the calls to re-rate.", valueName: "YYYY-MM-DD"))
    var from: String?
    @Option(help: ArgumentHelp("With --rerate: last local day of the calls to re-rate, included.", valueName: "YYYY-MM-DD"))
    var to: String?
    @Option(help: ArgumentHelp(
        "With --rerate, instead of --from/--to: this month and the N-1 before it, up to today (the nightly timer uses 2).",
        valueName: "N"))
    var months: Int?
    @Flag(help: "Derive and print what would change; write nothing.")
    var dryRun = false
    @Option(help: ArgumentHelp(
        "Seconds after its newest leg that a call without its final leg (Continuation 0) counts as complete.",
        valueName: "seconds"))
    var callIdle: Int = MatchRun.defaultCallIdleSeconds
    @Option(help: ArgumentHelp("Seconds to wait for another rating run (serve's, the nightly one) to finish.", valueName: "seconds"))
    var wait: Int = RateCommand.defaultWaitSeconds
    @Option(help: ArgumentHelp("Days a re-rate keeps the charges it superseded, to compare and explain.", valueName: "days"))
    var keepSuperseded: Int = RateRun.defaultKeepSupersededSeconds / 86_400

    func validate() throws {
        if let months = self.months {
            guard self.rerate else { throw ValidationError("--months is only for --rerate: without it smdr rate takes what is new") }
            guard self.from == nil, self.to == nil else { throw ValidationError("--months replaces --from and --to: give one or the other") }
            guard months >= 1 else { throw ValidationError("--months \(months): expected a number of months ≥ 1") }
        }
        for (flag, value) in [("--from", self.from), ("--to", self.to)] {
            guard let value else {
                if self.rerate, self.months == nil {
                    throw ValidationError("--rerate needs \(flag) YYYY-MM-DD (or --months N): expected the period to re-rate")
                }
                continue
            }
            if !self.rerate { throw ValidationError("\(flag) is only for --rerate: without it smdr rate takes what is new") }
            if LocalDate(iso: value) == nil { throw ValidationError("\(flag) '\(value)': expected a date YYYY-MM-DD") }
        }
        if let from = self.from.flatMap(LocalDate.init(iso:)), let to = self.to.flatMap(LocalDate.init(iso:)), to < from {
            throw ValidationError("--to \(to) is before --from \(from); expected a period from ≤ to")
        }
        if self.callIdle < 0 { throw ValidationError("--call-idle \(self.callIdle): expected seconds ≥ 0") }
        if self.wait < 0 { throw ValidationError("--wait \(self.wait): expected seconds ≥ 0") }
        if self.keepSuperseded < 0 { throw ValidationError("--keep-superseded \(self.keepSuperseded): expected days ≥ 0") }
    }

    /// The period: --from/--to, or --months back from today (this machine's calendar).
    private var period: (from: LocalDate?, to: LocalDate?) {
        guard let months = self.months else { return (self.from.flatMap(LocalDate.init(iso:)), self.to.flatMap(LocalDate.init(iso:))) }
        let today = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        let to = LocalDate(year: today.year!, month: today.month!, day: today.day!)
        var from = to.firstOfMonth
        for _ in 1..<months { from = from.adding(days: -1).firstOfMonth }
        return (from, to)
    }

    func run() async throws {
        let period = self.period
        let run = RateRun(
            kind: self.rerate ? .rerate : .rate, from: period.from, to: period.to,
            dryRun: self.dryRun, callIdleSeconds: self.callIdle, keepSupersededSeconds: self.keepSuperseded * 86_400,
            holder: RateRun.defaultHolder, leaseWaitSeconds: self.wait
        )
        let summary: RateRun.Summary
        do {
            summary = try await PostgresStore.withOpened(try self.database.selection(), maximumConnections: 2) { store in
                try await run.run(in: store, nowEpoch: Int(Date().timeIntervalSince1970))
            }
        } catch {
            throw CommandFailure.exit(for: error)
        }
        if let busy = summary.busy {
            throw CommandFailure.exit(for: CommandFailure.failure("another rating run holds the lease: \(busy); waited \(self.wait) s (--wait)"))
        }
        try FileDescriptorOutput.standardOutput(RateReport(summary: summary, kind: run.kind, dryRun: self.dryRun).text)
        if self.rerate, !summary.closedChanges.isEmpty { throw ExitCode(ExitStatus.closedPeriodDiffers) }
    }
}
