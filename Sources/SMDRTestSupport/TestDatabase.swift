import Foundation
package import SMDRPostgres
import Synchronization

/// A fresh, migrated database for one test, on a real PostgreSQL server.
///
/// ## Which server
/// - `SMDR_TEST_DATABASE_URL` (conninfo or URI of a database to connect to for administration), else
/// - libpq's environment when any of `PGHOST`, `PGHOSTADDR`, `PGSERVICE`, `PGDATABASE` is set
///   (as under `pg_virtualenv`), else
/// - one throw-away ``EmbeddedCluster`` per test process in a temporary directory, started on
///   first use and destroyed when the process exits.
///
/// Each database is named `smdr_test_<random>`, created from `template0` (UTF-8, C collation),
/// migrated unless asked not to, and dropped by ``withDatabase(migrate:_:)`` at the end.
package struct TestDatabase: Sendable {
    package let name: String
    /// Connection settings for this database.
    package let configuration: PostgresConnection.Configuration

    /// Creates a database, runs `body`, and drops the database whatever happens.
    package static func withDatabase<T>(
        migrate: Bool = true,
        _ body: (TestDatabase) async throws -> T
    ) async throws -> T {
        let database = try await Self.create(migrate: migrate)
        do {
            let value = try await body(database)
            try await database.drop()
            return value
        } catch {
            try? await database.drop()
            throw error
        }
    }

    /// Creates (and by default migrates) a new database.
    package static func create(migrate: Bool = true) async throws -> TestDatabase {
        try await BlockingWork.run {
            let server = try Self.server.get()
            let name = "smdr_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
            let admin = try PostgresConnection(configuration: server)
            try admin.executeScript(
                "CREATE DATABASE \(name) TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
            )
            var configuration = server
            configuration.database = name
            let database = TestDatabase(name: name, configuration: configuration)
            if migrate {
                try Migrator.migrate(try database.connect())
            }
            return database
        }
    }

    /// Drops the database, closing any connection still open to it.
    package func drop() async throws {
        let name = self.name
        try await BlockingWork.run {
            let admin = try PostgresConnection(configuration: try Self.server.get())
            try admin.executeScript("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        }
    }

    /// A new connection to this database (blocking; fine inside a test body or `withConnection`).
    /// `--database` for a child `smdr`: this database on the same server, no password (the
    /// child inherits `PG*` / `.pgpass` from the test process).
    package var conninfo: String {
        let base = self.configuration.conninfo
        return base.isEmpty ? "dbname=\(self.name)" : "\(base) dbname=\(self.name)"
    }

    package func connect() throws -> PostgresConnection {
        try PostgresConnection(configuration: self.configuration)
    }

    /// Runs `body` with a store for this database and closes it afterwards.
    package func withStore<T>(maximumConnections: Int = 4, _ body: (PostgresStore) async throws -> T) async throws -> T {
        var configuration = PostgresStore.Configuration(connection: self.configuration)
        configuration.maximumConnections = maximumConnections
        return try await PostgresStore.withStore(configuration: configuration, body)
    }

    /// Where test databases are created: the administrative connection settings.
    /// Resolved once per process; blocking (it may start a cluster).
    package static let server: Result<PostgresConnection.Configuration, any Error> = Result {
        if let url = Environment.value("SMDR_TEST_DATABASE_URL") {
            return PostgresConnection.Configuration(conninfo: url)
        }
        if DatabaseSelection.libpqSelectionVariables.contains(where: { Environment.value($0) != nil }) {
            return PostgresConnection.Configuration(conninfo: "")
        }
        return try Self.startEmbeddedCluster()
    }

    /// The throw-away cluster, if this process started one.
    private static let embeddedCluster = Mutex<EmbeddedCluster?>(nil)

    private static func startEmbeddedCluster() throws -> PostgresConnection.Configuration {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("smdr-test-\(getpid())-\(UUID().uuidString.prefix(8))").path
        // The server may run as the postgres user (when tests run as root): let it in.
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        var cluster = EmbeddedCluster(dataDirectory: directory)
        cluster.isThrowaway = true
        Self.embeddedCluster.withLock { $0 = cluster }
        atexit {
            TestDatabase.embeddedCluster.withLock { cluster in
                try? cluster?.destroy()
                cluster = nil
            }
        }
        try cluster.start()
        return PostgresConnection.Configuration(conninfo: cluster.conninfo(database: "postgres"))
    }
}
