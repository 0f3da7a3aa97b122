import ArgumentParser
import SMDRPostgres

/// `smdr migrate`: create or update the smdr schema.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or update the smdr schema in the database (safe to run again).",
        discussion: """
            Applies the schema this smdr carries (schema/*.sql) in one transaction under an advisory lock, \
            creating the roles smdr_ingest, smdr_rater, smdr_billing and smdr_analyst if missing. Running it \
            on an up-to-date database changes nothing. Exit status: 0 done, 2 usage error, 3 database error.
            """
    )

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        do {
            let selection = try self.database.selection()
            let outcome = try await PostgresStore.withOpened(selection, access: .migrate, maximumConnections: 1) { store in
                try await store.withConnection { try Migrator.migrate($0) }
            }
            switch outcome.previousVersion {
            case nil: try FileDescriptorOutput.standardOutput("created the smdr schema, version \(outcome.currentVersion), in \(selection)\n")
            case outcome.currentVersion: try FileDescriptorOutput.standardOutput("the smdr schema is up to date (version \(outcome.currentVersion)) in \(selection)\n")
            case let previous?: try FileDescriptorOutput.standardOutput("updated the smdr schema from version \(previous) to \(outcome.currentVersion) in \(selection)\n")
            }
        } catch {
            throw CommandFailure.exit(for: error)
        }
    }
}
