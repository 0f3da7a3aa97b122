import ArgumentParser
import SMDRCore
import SMDRPipeline
import SMDRPostgres

/// `smdr period close|reopen|list`: freeze a month's charges once its statements are sent.
struct PeriodCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "period",
        abstract: "Close a month once its statements are sent (its charges become final), reopen it, or list closed months.",
        discussion: """
            A closed month is never re-matched or re-rated: smdr rate --rerate over it writes nothing \
            there, prints what would differ per client and exits 1; smdr assign refuses its calls. \
            Reopen it to change it.
            """,
        subcommands: [Close.self, Reopen.self, List.self]
    )

    /// The month argument: `YYYY-MM`.
    static func month(_ text: String) throws -> LocalDate {
        guard text.utf8.count == 7, let day = LocalDate(iso: text + "-01") else {
            throw ValidationError("'\(text)': expected a month YYYY-MM")
        }
        return day
    }

    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close a month: its charges become final.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: ArgumentHelp("The month to close.", valueName: "YYYY-MM")) var month: String

        func validate() throws { _ = try PeriodCommand.month(self.month) }

        @Option(help: ArgumentHelp("Seconds to wait for a rating run in progress to finish.", valueName: "seconds"))
        var wait: Int = RateCommand.defaultWaitSeconds

        func run() async throws {
            let month = try PeriodCommand.month(self.month)
            // Under the rating lease: a run in progress finishes (and switches) first.
            let outcome: RatingLease.Outcome<Bool>
            do {
                outcome = try await PostgresStore.withOpened(try self.database.selection()) { store in
                    try await RatingLease.run(in: store, holder: RateRun.defaultHolder + " (period close)", waitSeconds: self.wait) {
                        try await store.withConnection { try PeriodStore.close(month, on: $0) }
                    }
                }
            } catch {
                throw CommandFailure.exit(for: error)
            }
            switch outcome {
            case .done(let closed):
                try FileDescriptorOutput.standardOutput(closed ? "closed \(self.month)\n" : "\(self.month) was closed already\n")
            case .busy(let holder):
                throw CommandFailure.exit(for: CommandFailure.failure("a rating run holds the lease: \(holder); waited \(self.wait) s (--wait)"))
            }
        }
    }

    struct Reopen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reopen a closed month, so it can be re-rated and assigned again.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: ArgumentHelp("The month to reopen.", valueName: "YYYY-MM")) var month: String

        func validate() throws { _ = try PeriodCommand.month(self.month) }

        func run() async throws {
            let month = try PeriodCommand.month(self.month)
            let reopened = try await PeriodCommand.withConnection(self.database) { try PeriodStore.reopen(month, on: $0) }
            try FileDescriptorOutput.standardOutput(reopened ? "reopened \(self.month)\n" : "\(self.month) was not closed\n")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the closed months.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let closed = try await PeriodCommand.withConnection(self.database) { try PeriodStore.closed(on: $0) }
            let text = closed.isEmpty
                ? "no month is closed\n"
                : closed.map { "\($0.month.description.prefix(7))  closed \($0.closedAt) by \($0.closedBy)\n" }.joined()
            try FileDescriptorOutput.standardOutput(text)
        }
    }

    static func withConnection<T: Sendable>(
        _ database: DatabaseOptions, _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        do {
            return try await PostgresStore.withOpened(try database.selection()) { store in try await store.withConnection(body) }
        } catch {
            throw CommandFailure.exit(for: error)
        }
    }
}
