import Foundation
import SMDRPostgres
import Testing

struct EmbeddedClusterTests {
    /// Creates, starts, stops and restarts a cluster in a temporary data directory (slow: initdb).
    @Test(.timeLimit(.minutes(3))) func startStatusStop() async throws {
        try await Self.withThrowawayCluster { embedded in try await Task.detached {
            #expect(try embedded.status() == .notInitialized)
            #expect(try embedded.start() == true)
            guard case .running(let pid) = try embedded.status() else {
                Issue.record("not running after start")
                return
            }
            #expect(pid != nil)
            #expect(try embedded.start() == false)  // already running: nothing to do
            let connection = try PostgresConnection(configuration: embedded.connectionConfiguration)
            #expect(try connection.execute("SELECT current_database()")[0][0].string == EmbeddedCluster.databaseName)
            #expect(try connection.execute("SHOW listen_addresses")[0][0].string == "")
            #expect(try Migrator.migrate(connection).currentVersion == Schema.version)
            #expect(try embedded.stop() == true)
            #expect(try embedded.status() == .stopped)
            #expect(try embedded.stop() == false)
            #expect(try embedded.start() == true)  // data kept across restarts
            let again = try PostgresConnection(configuration: embedded.connectionConfiguration)
            #expect(try Migrator.version(again) == Schema.version)
        }.value }
    }

    /// The service and an operator's `smdr site add` may start a new cluster at the same moment:
    /// both succeed, one of them creates and starts it (before the lock, one failed to connect).
    @Test(.timeLimit(.minutes(3))) func concurrentStartsTakeTurns() async throws {
        try await Self.withThrowawayCluster { embedded in
            async let first = BlockingWork.run { try embedded.start() }
            async let second = BlockingWork.run { try embedded.start() }
            let started = try await [first, second]
            #expect(started.filter { $0 }.count == 1)
            let connection = try PostgresConnection(configuration: embedded.connectionConfiguration)
            #expect(try connection.execute("SELECT current_database()")[0][0].string == EmbeddedCluster.databaseName)
        }
    }

    /// A cluster in a new temporary directory, destroyed afterwards.
    private static func withThrowawayCluster(_ body: (EmbeddedCluster) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("smdr-cluster-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        var cluster = EmbeddedCluster(dataDirectory: directory + "/data")
        cluster.isThrowaway = true
        let embedded = cluster
        defer {
            try? embedded.destroy()
            try? FileManager.default.removeItem(atPath: directory)
        }
        try await body(embedded)
    }

    @Test func tooLongDataDirectoriesAreRefusedClearly() throws {
        let cluster = EmbeddedCluster(dataDirectory: "/tmp/" + String(repeating: "d", count: 120))
        let error = try #require(throws: EmbeddedClusterError.self) { try cluster.start() }
        #expect(error.message.contains("too long for a Unix socket"))
    }
}

struct DatabaseSelectionTests {
    @Test func precedenceIsOptionThenSMDRDatabaseThenLibpqThenEmbedded() {
        let environment = ["SMDR_DATABASE": "host=db1", "PGHOST": "db2", "SMDR_DATA": "/var/lib/smdr"]
        #expect(
            DatabaseSelection.resolve(databaseOption: "host=db0", dataDirectoryOption: nil, environment: environment)
                == .conninfo("host=db0", origin: "--database")
        )
        #expect(
            DatabaseSelection.resolve(databaseOption: nil, dataDirectoryOption: nil, environment: environment)
                == .conninfo("host=db1", origin: "SMDR_DATABASE")
        )
        #expect(
            DatabaseSelection.resolve(databaseOption: nil, dataDirectoryOption: nil, environment: ["PGSERVICE": "smdr", "PGPORT": "1"])
                == .libpqEnvironment(variables: ["PGSERVICE"])
        )
        // PGPORT or PGUSER alone do not select a server.
        #expect(
            DatabaseSelection.resolve(databaseOption: nil, dataDirectoryOption: nil, environment: ["PGPORT": "5433", "SMDR_DATA": "/srv/smdr"])
                == .embedded(dataDirectory: "/srv/smdr")
        )
        #expect(
            DatabaseSelection.resolve(databaseOption: nil, dataDirectoryOption: "/opt/d", environment: ["SMDR_DATA": "/srv/smdr"])
                == .embedded(dataDirectory: "/opt/d")
        )
        #expect(
            DatabaseSelection.resolve(databaseOption: nil, dataDirectoryOption: nil, environment: [:])
                == .embedded(dataDirectory: DatabaseSelection.defaultDataDirectory(environment: [:]))
        )
    }

    /// The default never depends on the current directory.
    @Test func theDefaultDataDirectoryIsAbsolute() {
        let system = geteuid() == 0 || FileManager.default.fileExists(atPath: DatabaseSelection.systemDataDirectory)
        let xdg = DatabaseSelection.defaultDataDirectory(environment: ["XDG_DATA_HOME": "/srv/x", "HOME": "/home/u"])
        let home = DatabaseSelection.defaultDataDirectory(environment: ["HOME": "/home/u"])
        let relative = DatabaseSelection.defaultDataDirectory(environment: ["XDG_DATA_HOME": "rel", "HOME": "/home/u"])
        if system {
            #expect([xdg, home, relative].allSatisfy { $0 == "/var/lib/smdr" })
        } else {
            #expect(xdg == "/srv/x/smdr")
            #expect(home == "/home/u/.local/share/smdr")
            #expect(relative == "/home/u/.local/share/smdr")
        }
        #expect(DatabaseSelection.defaultDataDirectory(environment: [:]).hasPrefix("/"))
    }

    @Test func descriptionsRedactPasswords() {
        let selection = DatabaseSelection.conninfo("postgresql://u:hunter2@db/smdr", origin: "SMDR_DATABASE")
        #expect(!selection.description.contains("hunter2"))
    }
}

struct ConnectionStringTests {
    @Test(arguments: [
        ("host=db password=hunter2 user=u", "host=db password=*** user=u"),
        ("host=db password='hun ter\\'2' dbname=x", "host=db password=*** dbname=x"),
        ("  password = hunter2", "password=***"),
        ("postgresql://u:hunter2@db:5432/smdr?sslmode=require", "postgresql://u:***@db:5432/smdr?sslmode=require"),
        ("postgres://db/smdr?user=u&password=hunter2", "postgres://db/smdr?user=u&password=***"),
        ("postgresql://u@db/smdr", "postgresql://u@db/smdr"),
        ("host=db dbname='my db'", "host=db dbname='my db'"),
        ("host=db password='unterminated", "<connection string not shown: it could not be parsed>"),
    ])
    func redactsPasswords(input: String, expected: String) {
        #expect(ConnectionString.redacted(input) == expected)
        #expect(!ConnectionString.redacted(input).contains("hunter2"))
    }

    @Test func detectsPasswords() {
        #expect(ConnectionString.containsPassword("host=db password=x"))
        #expect(ConnectionString.containsPassword("postgresql://u:x@db/smdr"))
        #expect(ConnectionString.containsPassword("postgresql://db/smdr?password=x"))
        #expect(!ConnectionString.containsPassword("host=db user=u"))
        #expect(!ConnectionString.containsPassword("postgresql://u@db/smdr"))
        #expect(!ConnectionString.containsPassword(""))
    }
}
