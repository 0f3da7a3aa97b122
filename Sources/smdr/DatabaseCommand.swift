import ArgumentParser
import Foundation
import SMDRPostgres

/// `smdr db status|start|stop|psql`: the database smdr uses, and its embedded cluster.
struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Show, start, stop or open the database smdr uses.",
        discussion: """
            Without --database, SMDR_DATABASE or libpq's PGHOST/PGHOSTADDR/PGSERVICE/PGDATABASE, smdr runs its \
            own PostgreSQL cluster under the data directory (--data-dir, SMDR_DATA, default \
            \(DatabaseSelection.defaultDataDirectoryRule)); these commands manage it. The cluster \
            listens only on a Unix socket in <data>/postgres. status and psql never create or start it.
            """,
        subcommands: [Status.self, Start.self, Stop.self, Psql.self]
    )

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show which database smdr uses and whether it is up (exit 0 up, 3 down or error)."
        )

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            do {
                let selection = try self.database.selection()
                if let cluster = selection.embeddedCluster {
                    let status = try await BlockingWork.run { try cluster.status() }
                    if status == .notInitialized { throw NoDatabaseError(cluster: cluster, isStopped: false) }
                    try FileDescriptorOutput.standardOutput("embedded cluster: \(status)\n")
                    try FileDescriptorOutput.standardOutput("directory: \(cluster.clusterDirectory)\n")
                    try FileDescriptorOutput.standardOutput("connect: psql \"\(cluster.conninfo(database: EmbeddedCluster.databaseName))\"\n")
                    guard case .running = status else { throw ExitCode(ExitStatus.database) }
                    let version = try await Self.schemaVersion(cluster.connectionConfiguration)
                    try FileDescriptorOutput.standardOutput("schema version: \(version.map(String.init) ?? "none (run smdr migrate)")\n")
                } else {
                    try FileDescriptorOutput.standardOutput("database: \(selection)\n")
                    let version = try await Self.schemaVersion(try await selection.prepare())
                    try FileDescriptorOutput.standardOutput("reachable; schema version: \(version.map(String.init) ?? "none (run smdr migrate)")\n")
                }
            } catch let exit as ExitCode {
                throw exit
            } catch {
                throw CommandFailure.exit(for: error)
            }
        }

        static func schemaVersion(_ configuration: PostgresConnection.Configuration) async throws -> Int? {
            try await BlockingWork.run { try Migrator.version(PostgresConnection(configuration: configuration)) }
        }
    }

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create (first time) and start the embedded cluster.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            do {
                let cluster = try embeddedCluster(self.database)
                let started = try await BlockingWork.run { try cluster.start() }
                try FileDescriptorOutput.standardOutput((started ? "started the embedded cluster in \(cluster.clusterDirectory)" : "the embedded cluster is already running") + "\n")
                try FileDescriptorOutput.standardOutput("connect: psql \"\(cluster.conninfo(database: EmbeddedCluster.databaseName))\"\n")
            } catch {
                throw CommandFailure.exit(for: error)
            }
        }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the embedded cluster.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            do {
                let cluster = try embeddedCluster(self.database)
                let stopped = try await BlockingWork.run { try cluster.stop() }
                try FileDescriptorOutput.standardOutput((stopped ? "stopped the embedded cluster" : "the embedded cluster is not running") + "\n")
            } catch {
                throw CommandFailure.exit(for: error)
            }
        }
    }

    struct Psql: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open psql on smdr's database (the embedded cluster must exist and run: see smdr db start).",
            discussion: "Arguments after -- are passed to psql, e.g. smdr db psql -- -c 'TABLE smdr.site'."
        )

        @OptionGroup var database: DatabaseOptions

        @Argument(parsing: .postTerminator, help: "Arguments for psql.")
        var psqlArguments: [String] = []

        func run() async throws {
            do {
                let selection = try self.database.selection()
                var arguments: [String]
                switch selection {
                case .conninfo(let conninfo, _):
                    if ConnectionString.containsPassword(conninfo) {
                        throw CommandFailure.usage("the connection string holds a password, which psql would show in the process list; use ~/.pgpass")
                    }
                    arguments = ["-d", conninfo]
                case .libpqEnvironment:
                    arguments = []
                case .embedded:
                    let configuration = try await selection.prepareExisting()
                    arguments = ["-d", configuration.conninfo]
                }
                let psql = (try? EmbeddedCluster.binDirectory() + "/psql").flatMap {
                    FileManager.default.isExecutableFile(atPath: $0) ? $0 : nil
                } ?? "/usr/bin/psql"
                arguments = [psql] + arguments + self.psqlArguments
                let pointers: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
                execv(psql, pointers)
                throw CommandFailure.usage("could not run \(psql): \(String(cString: strerror(errno)))")
            } catch {
                throw CommandFailure.exit(for: error)
            }
        }
    }
}

/// The embedded cluster, or a usage error when another database is configured.
private func embeddedCluster(_ options: DatabaseOptions) throws -> EmbeddedCluster {
    let selection = try options.selection()
    guard let cluster = selection.embeddedCluster else {
        throw CommandFailure.usage("smdr is configured to use \(selection), not its embedded cluster; nothing to start or stop")
    }
    return cluster
}
