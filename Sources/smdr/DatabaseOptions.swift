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
