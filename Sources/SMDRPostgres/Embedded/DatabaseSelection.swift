import Foundation

/// Which PostgreSQL database smdr uses, decided from options and the environment.
///
/// ## Precedence (first match wins)
/// 1. `--database CONNINFO` (a conninfo string or URI, without a password).
/// 2. `SMDR_DATABASE` (conninfo or URI; may carry a password, but prefer `~/.pgpass`).
/// 3. libpq's own environment: if any of `PGHOST`, `PGHOSTADDR`, `PGSERVICE` or `PGDATABASE`
///    is set, smdr connects with an empty conninfo and libpq applies every `PG*` variable,
///    `~/.pgpass` (or `PGPASSFILE`) and the service file.
/// 4. Otherwise the embedded cluster under the data directory: `--data-dir`, else `SMDR_DATA`,
///    else ``defaultDataDirectory(environment:)`` (see ``EmbeddedCluster``).
public enum DatabaseSelection: Hashable, Sendable, CustomStringConvertible {
    /// An explicit conninfo string or URI.
    case conninfo(String, origin: String)
    /// libpq's `PG*` environment (empty conninfo).
    case libpqEnvironment(variables: [String])
    /// smdr's own cluster under this data directory.
    case embedded(dataDirectory: String)

    /// The data directory of a system-wide installation, and the default for root.
    public static let systemDataDirectory = "/var/lib/smdr"
    /// How the default data directory is chosen, as `--help` and the README state it.
    public static let defaultDataDirectoryRule =
        "/var/lib/smdr when run as root or when that directory exists, else $XDG_DATA_HOME/smdr (~/.local/share/smdr)"

    /// The data directory when neither `--data-dir` nor `SMDR_DATA` gives one: always absolute,
    /// so every command finds the same one whatever the current directory.
    ///
    /// ``systemDataDirectory`` when running as root or when it exists (the service's, see
    /// `deploy/`); otherwise `$XDG_DATA_HOME/smdr` when that is an absolute path, else
    /// `$HOME/.local/share/smdr` (the home directory from the password database when `HOME` is
    /// unset or relative).
    public static func defaultDataDirectory(environment: [String: String]) -> String {
        if geteuid() == 0 || FileManager.default.fileExists(atPath: Self.systemDataDirectory) {
            return Self.systemDataDirectory
        }
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") {
            return data + "/smdr"
        }
        var home = environment["HOME"] ?? ""
        if !home.hasPrefix("/"), let entry = getpwuid(geteuid()), let directory = entry.pointee.pw_dir {
            home = String(cString: directory)
        }
        guard home.hasPrefix("/") else { return Self.systemDataDirectory }
        return home + "/.local/share/smdr"
    }
    /// The libpq variables whose presence means "a server is configured".
    public static let libpqSelectionVariables = ["PGHOST", "PGHOSTADDR", "PGSERVICE", "PGDATABASE"]

    /// Applies the precedence above.
    public static func resolve(
        databaseOption: String?,
        dataDirectoryOption: String?,
        environment: [String: String]
    ) -> DatabaseSelection {
        if let databaseOption {
            return .conninfo(databaseOption, origin: "--database")
        }
        if let value = environment["SMDR_DATABASE"], !value.isEmpty {
            return .conninfo(value, origin: "SMDR_DATABASE")
        }
        let present = Self.libpqSelectionVariables.filter { !(environment[$0] ?? "").isEmpty }
        if !present.isEmpty {
            return .libpqEnvironment(variables: present)
        }
        return .embedded(dataDirectory: Self.dataDirectory(option: dataDirectoryOption, environment: environment))
    }

    /// `--data-dir`, else `SMDR_DATA`, else ``defaultDataDirectory(environment:)``.
    public static func dataDirectory(option: String?, environment: [String: String]) -> String {
        if let option, !option.isEmpty { return option }
        if let value = environment["SMDR_DATA"], !value.isEmpty { return value }
        return Self.defaultDataDirectory(environment: environment)
    }

    /// The embedded cluster, if this selection is one.
    public var embeddedCluster: EmbeddedCluster? {
        if case .embedded(let directory) = self { return EmbeddedCluster(dataDirectory: directory) }
        return nil
    }

    /// Connection settings; for the embedded cluster this creates and starts it if needed
    /// (blocking: call it off the cooperative pool, or use ``prepare()``).
    public func connectionConfiguration() throws -> PostgresConnection.Configuration {
        switch self {
        case .conninfo(let conninfo, _):
            return PostgresConnection.Configuration(conninfo: conninfo)
        case .libpqEnvironment:
            return PostgresConnection.Configuration(conninfo: "")
        case .embedded:
            let cluster = self.embeddedCluster!
            try cluster.start()
            return cluster.connectionConfiguration
        }
    }

    /// ``connectionConfiguration()`` on a thread where blocking is fine.
    public func prepare() async throws -> PostgresConnection.Configuration {
        try await BlockingWork.run { try self.connectionConfiguration() }
    }

    /// Connection settings for a database that must exist already, for commands that only
    /// read: the embedded cluster is neither created nor started.
    ///
    /// - Throws: ``NoDatabaseError`` when the embedded cluster does not exist or is stopped.
    public func prepareExisting() async throws -> PostgresConnection.Configuration {
        guard let cluster = self.embeddedCluster else { return try self.connectionConfiguration() }
        let status = try await BlockingWork.run { try cluster.status() }
        switch status {
        case .notInitialized: throw NoDatabaseError(cluster: cluster, isStopped: false)
        case .stopped: throw NoDatabaseError(cluster: cluster, isStopped: true)
        case .running: return cluster.connectionConfiguration
        }
    }

    public var description: String {
        switch self {
        case .conninfo(let conninfo, let origin): "\(ConnectionString.redacted(conninfo)) (from \(origin))"
        case .libpqEnvironment(let variables): "libpq environment (\(variables.joined(separator: ", ")))"
        case .embedded(let directory): "embedded cluster in \(EmbeddedCluster(dataDirectory: directory).clusterDirectory)"
        }
    }
}
