import ArgumentParser
import Foundation
import SMDRPostgres

/// Options that choose the PostgreSQL database, shared by every command that uses one.
///
/// Precedence: `--database`, then `SMDR_DATABASE`, then libpq's environment (`PGHOST`,
/// `PGHOSTADDR`, `PGSERVICE` or `PGDATABASE` set), then the embedded cluster under
/// `--data-dir` / `SMDR_DATA` / the default data directory. See ``DatabaseSelection``.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("database"),
        help: ArgumentHelp(
            "libpq connection string or URI of the database (no password: use ~/.pgpass or a service file).",
            valueName: "conninfo"
        )
    )
    var database: String?

    @Option(
        name: .customLong("data-dir"),
        help: ArgumentHelp(
            "smdr data directory, home of the embedded PostgreSQL cluster (default: $SMDR_DATA, else "
                + DatabaseSelection.defaultDataDirectoryRule + ").",
            valueName: "path"
        )
    )
    var dataDirectory: String?

    /// The database to use; a password on the command line is a usage error (exit 2).
    func selection() throws -> DatabaseSelection {
        if let database, ConnectionString.containsPassword(database) {
            throw CommandFailure.usage(
                "--database must not contain a password (it would show in the process list and shell history); "
                    + "put it in ~/.pgpass, PGPASSFILE, a service file, or SMDR_DATABASE"
            )
        }
        return DatabaseSelection.resolve(
            databaseOption: self.database,
            dataDirectoryOption: self.dataDirectory,
            environment: ProcessInfo.processInfo.environment
        )
    }
}

/// A failure with the exit status smdr documents: 2 for usage errors, 3 for database errors.
enum CommandFailure: Error {
    case usage(String)
    case database(String)

    /// Prints the message to stderr and exits with the documented status.
    static func exit(for error: any Error) -> ExitCode {
        let (message, code): (String, Int32) =
            switch error {
            case CommandFailure.usage(let message): (message, ExitStatus.usage)
            case CommandFailure.database(let message): (message, ExitStatus.database)
            case let error as FileIngestError: (error.description, ExitStatus.usage)
            case let error as SiteError: (error.description, ExitStatus.usage)
            case let error as PostgresError: (error.description, ExitStatus.database)
            case let error as EmbeddedClusterError: (error.description, ExitStatus.database)
            case let error as NoDatabaseError: (error.description, ExitStatus.database)
            case let error as SchemaMissingError: (error.description, ExitStatus.database)
            case let error as MigrationError: (error.description, ExitStatus.database)
            default: ("\(error)", ExitStatus.database)
            }
        FileHandle.standardError.write(Data("smdr: error: \(message)\n".utf8))
        return ExitCode(code)
    }
}
