import ArgumentParser
import SMDRJournal
import SMDRListener
import SMDRPipeline
import SMDRPostgres
import SMDRReports
import SMDRSimulation
import SMDRWeb

/// The exit statuses `smdr` documents, and the one table that maps an error to its status.
///
/// `1` is never an error: it only says that input lines were rejected. Every error a command
/// throws goes through ``classify(_:)``; an error no row names is reported as unexpected (4).
enum ExitStatus {
    /// The command did all it was asked.
    static let success: Int32 = 0
    /// The command ran, but input lines were rejected (`ingest`: rejected lines this run stored).
    static let someRejected: Int32 = 1
    /// `rate --rerate` would change a closed month (and left it as it is).
    static let closedPeriodDiffers: Int32 = 1
    /// The command line or a setting was wrong, or named a file that cannot be read, or an
    /// address that cannot be bound.
    static let usage: Int32 = 2
    /// A database operation failed, or the database is not up.
    static let database: Int32 = 3
    /// The command could not finish for another reason: its output could not be written (a
    /// full disk), a journal or network I/O error, or an unexpected error.
    static let failure: Int32 = 4

    /// The message and status of an error: the one table every command uses.
    static func classify(_ error: any Error) -> (message: String, status: Int32) {
        switch error {
        case CommandFailure.usage(let message): (message, Self.usage)
        case CommandFailure.database(let message): (message, Self.database)
        case CommandFailure.failure(let message): (message, Self.failure)
        // Usage: what the operator typed or configured cannot be used.
        case let error as SiteError: (error.description, Self.usage)
        case let error as SettingsError: (error.description, Self.usage)
        case let error as InputError: (error.description, Self.usage)
        case let error as IPAddressRangeError: (error.description, Self.usage)
        case let error as ListenerConfigurationError: (error.description, Self.usage)
        case let error as BindError: (error.description, Self.usage)
        case let error as UnknownClientError: (error.description, Self.usage)
        case let error as WebUsers.Problem: (error.description, Self.usage)
        case let error as OutputFileError where error.action.hasPrefix("create"): (error.description, Self.usage)
        // Database.
        case let error as PostgresError: (error.description, Self.database)
        case let error as EmbeddedClusterError: (error.description, Self.database)
        case let error as SchemaMissingError: (error.description, Self.database)
        case let error as MigrationError: (error.description, Self.database)
        case let error as NoDatabaseError: (error.description, Self.database)
        // Everything else: output, journal, network, and what nobody expected.
        case let error as ByteOutputError: (error.description, Self.failure)
        case let error as OutputFileError: (error.description, Self.failure)
        case let error as ExportError: (error.description, Self.failure)
        case let error as ChromiumError: (error.description, Self.failure)
        case let error as JournalError: (error.description, Self.failure)
        case let error as SystemCallError: (error.description, Self.failure)
        case let error as ReplayError: (error.description, Self.failure)
        case let error as ListenerError: (error.description, Self.failure)
        default: ("unexpected error: \(error)", Self.failure)
        }
    }
}
