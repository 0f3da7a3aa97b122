import Foundation

/// A PostgreSQL cluster that smdr runs itself, under its data directory, when no database is
/// configured: `<data>/postgres`, reachable only through a Unix socket in that directory.
///
/// ## Behavior
/// - The server binaries (`initdb`, `pg_ctl`, `postgres`, `psql`) come from `SMDR_PG_BINDIR`,
///   else `pg_config --bindir`, else the newest `/usr/lib/postgresql/*/bin`.
/// - ``start()`` runs `initdb` the first time (superuser `postgres`, trust authentication on the
///   socket only, UTF-8, C locale), then `pg_ctl start` if the server is not running, then creates
///   the database ``databaseName``. The server keeps running after smdr exits; ``stop()`` (or
///   `smdr db stop`) stops it.
/// - No TCP port is opened (`listen_addresses = ''`). The socket directory is the cluster
///   directory, mode 0700, so only its owner (and root) can connect.
/// - PostgreSQL refuses to run as root. When smdr runs as root, the server programs run as the
///   `postgres` user (through `runuser`) and the cluster directory is owned by that user; every
///   directory above it must be searchable by that user.
public struct EmbeddedCluster: Sendable {
    /// The database smdr uses inside the cluster.
    public static let databaseName = "smdr"
    /// The cluster's superuser, which smdr connects as.
    public static let superuser = "postgres"
    /// The port number; only the socket file's name depends on it (`.s.PGSQL.5432`).
    public static let port = 5432
    /// Longest socket path the kernel accepts (`sizeof(sun_path) - 1` on Linux).
    public static let maximumSocketPathLength = 107
    /// Seconds `pg_ctl` waits for the server to start or stop. Defaults to 60.
    public var startStopTimeoutSeconds = 60

    /// The smdr data directory (absolute).
    public let dataDirectory: String
    /// Whether the cluster may lose recent commits on a crash in exchange for speed
    /// (`fsync = off`): only for throw-away test clusters.
    public var isThrowaway = false

    /// The cluster directory: `<data>/postgres`.
    public var clusterDirectory: String { self.dataDirectory + "/postgres" }
    /// The directory holding the server's Unix socket (the cluster directory).
    public var socketDirectory: String { self.clusterDirectory }
    /// The server log file.
    public var logFile: String { self.clusterDirectory + "/server.log" }
    /// The file ``start()`` locks while it creates or starts the cluster: `<data>/postgres.lock`.
    public var lockFile: String { self.dataDirectory + "/postgres.lock" }

    /// - Parameter dataDirectory: the smdr data directory; a relative path is resolved against
    ///   the current directory.
    public init(dataDirectory: String) {
        self.dataDirectory = EmbeddedCluster.absolute(dataDirectory)
    }

    /// What ``status()`` found.
    public enum Status: Hashable, Sendable, CustomStringConvertible {
        /// There is no cluster yet; ``start()`` creates it.
        case notInitialized
        case stopped
        case running(pid: Int?)

        public var description: String {
            switch self {
            case .notInitialized: "not initialized"
            case .stopped: "stopped"
            case .running(let pid?): "running (pid \(pid))"
            case .running(nil): "running"
            }
        }
    }

    /// How to connect to the cluster's smdr database.
    public var connectionConfiguration: PostgresConnection.Configuration {
        PostgresConnection.Configuration(conninfo: self.conninfo(database: Self.databaseName))
    }

    /// A conninfo string for `database` in this cluster.
    public func conninfo(database: String) -> String {
        "host='\(Self.escaped(self.socketDirectory))' port=\(Self.port) user=\(Self.superuser) "
            + "dbname='\(Self.escaped(database))'"
    }

    // MARK: - Operations (blocking: run them off the cooperative pool)

    /// Whether the cluster exists and its server runs.
    public func status() throws -> Status {
        guard FileManager.default.fileExists(atPath: self.clusterDirectory + "/PG_VERSION") else {
            return .notInitialized
        }
        let result = try self.runServerProgram("pg_ctl", ["status", "-D", self.clusterDirectory])
        switch result.status {
        case 0:
            let pid = result.output.split(separator: "PID: ").dropFirst().first
                .flatMap { Int($0.prefix(while: \.isNumber)) }
            return .running(pid: pid)
        case 3: return .stopped
        default: throw EmbeddedClusterError(message: "pg_ctl status failed", output: result.output)
        }
    }

    /// Creates the cluster if needed, starts its server if it is not running and creates the
    /// smdr database if missing.
    ///
    /// - Returns: `true` if the server was started by this call.
    ///
    /// Two smdr processes starting the same cluster at once (the service and an operator's
    /// `smdr site add` right after it) take turns on ``lockFile``: the second finds it running.
    @discardableResult
    public func start() throws -> Bool {
        try self.checkSocketPathLength()
        let lock = try self.lockExclusively()
        defer { close(lock) }
        var started = false
        switch try self.status() {
        case .notInitialized:
            try self.initialize()
            started = try self.startServer()
        case .stopped:
            started = try self.startServer()
        case .running:
            break
        }
        try self.createDatabaseIfMissing(Self.databaseName)
        return started
    }

    /// Stops the server (fast shutdown: open transactions are rolled back).
    ///
    /// - Returns: `true` if a running server was stopped.
    @discardableResult
    public func stop() throws -> Bool {
        guard case .running = try self.status() else { return false }
        let result = try self.runServerProgram(
            "pg_ctl",
            ["stop", "-D", self.clusterDirectory, "-m", "fast", "-w", "-t", String(self.startStopTimeoutSeconds)]
        )
        guard result.status == 0 else {
            throw EmbeddedClusterError(message: "pg_ctl stop failed", output: result.output)
        }
        return true
    }

    /// Stops the server at once (no clean shutdown) and deletes the data directory: for
    /// throw-away test clusters.
    public func destroy() throws {
        if case .running = (try? self.status()) ?? .stopped {
            _ = try? self.runServerProgram("pg_ctl", ["stop", "-D", self.clusterDirectory, "-m", "immediate", "-w"])
        }
        try? FileManager.default.removeItem(atPath: self.dataDirectory)
    }

    /// Creates `name` in the cluster unless it exists (the server must be running).
    public func createDatabaseIfMissing(_ name: String) throws {
        let admin = try PostgresConnection(conninfo: self.conninfo(database: "postgres"))
        let exists = try admin.execute("SELECT 1 FROM pg_database WHERE datname = $1", [.text(name)])
        guard exists.isEmpty else { return }
        do {
            try admin.executeScript("CREATE DATABASE \(Self.quotedIdentifier(name))")
        } catch let error as PostgresError where error.sqlState == .duplicateDatabase {
            // Created concurrently by another smdr process.
        }
    }

    // MARK: - Internals

    private func initialize() throws {
        let fileManager = FileManager.default
        try fileManager.createDirectory(atPath: self.dataDirectory, withIntermediateDirectories: true)
        try fileManager.createDirectory(
            atPath: self.clusterDirectory,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
        if Self.isRoot {
            guard let user = getpwnam(Self.serverUser) else {
                throw EmbeddedClusterError(
                    message: "smdr runs as root and PostgreSQL must not; there is no \(Self.serverUser) user to run it as",
                    output: ""
                )
            }
            guard chown(self.clusterDirectory, user.pointee.pw_uid, user.pointee.pw_gid) == 0 else {
                throw EmbeddedClusterError(message: "could not give \(self.clusterDirectory) to \(Self.serverUser)", output: "")
            }
        }
        let result = try self.runServerProgram(
            "initdb",
            [
                "-D", self.clusterDirectory, "--username=\(Self.superuser)", "--auth=trust",
                "--encoding=UTF8", "--locale=C", "--no-instructions",
            ]
        )
        guard result.status == 0 else {
            var message = "initdb failed for \(self.clusterDirectory)"
            if Self.isRoot {
                message += " (it runs as the \(Self.serverUser) user, who must be able to reach that directory)"
            }
            throw EmbeddedClusterError(message: message, output: result.output)
        }
        var settings = """

            # Added by smdr: a private server reachable only through its Unix socket.
            listen_addresses = ''
            port = \(Self.port)
            unix_socket_directories = '\(Self.escaped(self.socketDirectory))'
            unix_socket_permissions = 0700

            """
        if self.isThrowaway {
            settings += """
                # Throw-away test cluster: speed over durability.
                fsync = off
                synchronous_commit = off
                full_page_writes = off

                """
        }
        let configuration = try FileHandle(forWritingTo: URL(fileURLWithPath: self.clusterDirectory + "/postgresql.conf"))
        defer { try? configuration.close() }
        try configuration.seekToEnd()
        try configuration.write(contentsOf: Data(settings.utf8))
    }

    private func startServer() throws -> Bool {
        let result = try self.runServerProgram(
            "pg_ctl",
            ["start", "-D", self.clusterDirectory, "-l", self.logFile, "-w", "-t", String(self.startStopTimeoutSeconds)]
        )
        if result.status == 0 { return true }
        // Another smdr process may have started it at the same moment.
        if case .running = try self.status() { return false }
        let log = (try? String(contentsOfFile: self.logFile, encoding: .utf8)).map { String($0.suffix(2000)) } ?? ""
        throw EmbeddedClusterError(message: "could not start PostgreSQL in \(self.clusterDirectory)", output: result.output + log)
    }

    /// Opens ``lockFile`` (creating the data directory if needed) and waits for an exclusive
    /// `flock` on it; closing the descriptor releases it.
    private func lockExclusively() throws -> Int32 {
        try FileManager.default.createDirectory(atPath: self.dataDirectory, withIntermediateDirectories: true)
        var descriptor = open(self.lockFile, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if descriptor < 0, errno == EACCES {
            descriptor = open(self.lockFile, O_RDONLY | O_CLOEXEC)  // another user's file: flock needs no write access
        }
        guard descriptor >= 0 else {
            throw EmbeddedClusterError(message: "cannot open \(self.lockFile): \(String(cString: strerror(errno)))", output: "")
        }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw EmbeddedClusterError(message: "cannot lock \(self.lockFile): \(reason)", output: "")
            }
        }
        return descriptor
    }

    private func checkSocketPathLength() throws {
        let socket = "\(self.socketDirectory)/.s.PGSQL.\(Self.port)"
        if socket.utf8.count > Self.maximumSocketPathLength {
            throw EmbeddedClusterError(
                message: "the data directory path is too long for a Unix socket (\(socket.utf8.count) bytes; "
                    + "the limit is \(Self.maximumSocketPathLength)): use a shorter --data-dir or SMDR_DATA",
                output: ""
            )
        }
    }

    static let serverUser = "postgres"
    static var isRoot: Bool { geteuid() == 0 }

    /// Runs a PostgreSQL server program, as the `postgres` user when we are root.
    func runServerProgram(_ name: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let program = try Self.binDirectory() + "/" + name
        if Self.isRoot {
            return try Self.run(Self.runuserPath, ["-u", Self.serverUser, "--", program] + arguments)
        }
        return try Self.run(program, arguments)
    }

    private static var runuserPath: String {
        ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].first { FileManager.default.isExecutableFile(atPath: $0) }
            ?? "/usr/sbin/runuser"
    }

    /// Runs a program to completion; stdout and stderr are collected together. `PG*`
    /// variables are removed so they cannot redirect the server programs elsewhere.
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        var environment = ProcessInfo.processInfo.environment
        environment["LC_ALL"] = "C"
        for key in environment.keys where key.hasPrefix("PG") { environment[key] = nil }
        return try ChildProcess.run(executable, arguments, environment: environment.map { "\($0.key)=\($0.value)" })
    }

    /// The directory with the PostgreSQL server programs.
    public static func binDirectory() throws -> String {
        let fileManager = FileManager.default
        if let configured = Environment.value("SMDR_PG_BINDIR") {
            guard fileManager.isExecutableFile(atPath: configured + "/pg_ctl") else {
                throw EmbeddedClusterError(message: "SMDR_PG_BINDIR=\(configured) has no pg_ctl", output: "")
            }
            return configured
        }
        for pgConfig in ["/usr/bin/pg_config", "/usr/local/bin/pg_config"] where fileManager.isExecutableFile(atPath: pgConfig) {
            if let result = try? Self.run(pgConfig, ["--bindir"]), result.status == 0 {
                let directory = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
                if fileManager.isExecutableFile(atPath: directory + "/initdb") { return directory }
            }
        }
        let versions = (try? fileManager.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        let newest = versions.compactMap(Int.init).sorted().last { fileManager.isExecutableFile(atPath: "/usr/lib/postgresql/\($0)/bin/initdb") }
        if let newest { return "/usr/lib/postgresql/\(newest)/bin" }
        throw EmbeddedClusterError(
            message: "no PostgreSQL server programs found (initdb, pg_ctl): install the postgresql package, "
                + "set SMDR_PG_BINDIR, or configure a database with --database or SMDR_DATABASE",
            output: ""
        )
    }

    static func absolute(_ path: String) -> String {
        let url = path.hasPrefix("/")
            ? URL(fileURLWithPath: path)
            : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(path)
        return url.standardizedFileURL.path
    }

    /// Escapes `'` and `\` for a single-quoted conninfo or postgresql.conf value.
    static func escaped(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
    }

    static func quotedIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// The embedded cluster could not be created, started or stopped.
public struct EmbeddedClusterError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    /// What the PostgreSQL program printed.
    public var output: String

    public var description: String {
        let output = self.output.trimmingCharacters(in: .whitespacesAndNewlines)
        return output.isEmpty ? self.message : "\(self.message):\n\(output)"
    }
}
