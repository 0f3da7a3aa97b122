import CLibPQ

/// One libpq connection (`PGconn`), closed when the object goes away.
///
/// Every call blocks the calling thread until the server answers, so a connection is used from
/// one thread at a time and never from Swift's cooperative pool: ``PostgresStore`` lends
/// connections on threads of its own. It is deliberately not `Sendable`.
///
/// Statements are always parameterized (`$1`, `$2`, …) through `PQexecParams`; values never
/// become part of the SQL text. Only ``executeScript(_:)`` runs SQL without parameters, for fixed
/// text such as the schema.
public final class PostgresConnection {
    /// How to reach the server.
    public struct Configuration: Sendable, CustomStringConvertible {
        /// A libpq connection string (`host=/run/smdr dbname=smdr`) or URI
        /// (`postgresql://smdr@db.example/smdr`). Empty means "libpq's defaults": the `PG*`
        /// environment variables, `~/.pgpass` and `pg_service.conf` apply, as they always do for
        /// anything the string leaves out.
        public var conninfo: String
        /// A database name that overrides the one in ``conninfo`` (used for test databases).
        public var database: String?
        /// Sent as `fallback_application_name`, so `application_name` in ``conninfo`` wins.
        /// Defaults to `smdr`.
        public var applicationName: String = "smdr"
        /// Seconds to wait for the connection to open, unless ``conninfo`` or `PGCONNECT_TIMEOUT`
        /// says otherwise. Defaults to 10; 0 waits forever.
        public var connectTimeoutSeconds: Int = 10
        /// TCP keepalive idle seconds (then a probe every 10 s, dead after 3 unanswered, and
        /// the same bound on unacknowledged sends), unless ``conninfo`` says otherwise: a
        /// server that vanished without closing the connection fails the call instead of
        /// hanging it. Ignored on Unix sockets. Defaults to 30; 0 turns keepalives off; `nil`
        /// leaves libpq's default (on, with the system's idle time, typically 2 hours).
        public var keepaliveIdleSeconds: Int? = 30
        /// `statement_timeout` set on every new connection; `nil` leaves the server's setting.
        public var statementTimeout: Duration?

        public init(conninfo: String = "", database: String? = nil) {
            self.conninfo = conninfo
            self.database = database
        }

        /// The connection string with its password redacted.
        public var description: String {
            var text = self.conninfo.isEmpty ? "(PG* environment)" : ConnectionString.redacted(self.conninfo)
            if let database = self.database { text += " dbname=\(database)" }
            return text
        }
    }

    let handle: OpaquePointer
    /// Savepoint nesting of ``withTransaction(_:)``.
    private var transactionDepth = 0

    /// Opens a connection.
    ///
    /// - Throws: ``PostgresError`` with code ``PostgresError/Code/invalidConnectionString`` or
    ///   ``PostgresError/Code/connectionFailed``. The message never contains the password.
    public init(configuration: Configuration) throws {
        try Self.validate(conninfo: configuration.conninfo)
        // Later keywords override earlier ones, and `dbname` is expanded in place: so the
        // timeout and application name are defaults the conninfo may override, while the
        // database override and client encoding are forced.
        var keywords = ["fallback_application_name", "dbname"]
        var values = [configuration.applicationName, configuration.conninfo]
        if Environment.value("PGCONNECT_TIMEOUT") == nil {
            keywords.insert("connect_timeout", at: 0)
            values.insert(String(configuration.connectTimeoutSeconds), at: 0)
        }
        if configuration.keepaliveIdleSeconds == 0 {
            keywords.insert("keepalives", at: 0)
            values.insert("0", at: 0)
        } else if let idle = configuration.keepaliveIdleSeconds {
            let interval = 10, count = 3
            keywords.insert(contentsOf: ["keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count", "tcp_user_timeout"], at: 0)
            values.insert(contentsOf: ["1", String(idle), String(interval), String(count), String((idle + interval * count) * 1000)], at: 0)
        }
        if let database = configuration.database {
            keywords.append("dbname")
            values.append(database)
        }
        keywords.append("client_encoding")
        values.append("UTF8")
        let connection = withCStringArray(keywords) { keywordPointers in
            withCStringArray(values) { valuePointers in
                PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let connection else {
            throw PostgresError(code: .connectionFailed, message: "out of memory while connecting")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            // Connection failures quote host, socket, user and database names, never the password.
            let message = Self.errorMessage(connection)
            PQfinish(connection)
            throw PostgresError(
                code: .connectionFailed,
                message: "could not connect to \(configuration): \(message)"
            )
        }
        self.handle = connection
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        // Dates and timestamps are read back as text (`2026-04-01 10:00:00`): whatever the server,
        // database or PGDATESTYLE says, this connection writes them in ISO order.
        try self.execute("SELECT set_config('DateStyle', 'ISO, YMD', false)")
        if let timeout = configuration.statementTimeout {
            let (seconds, attoseconds) = timeout.components
            let milliseconds = max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
            try self.execute("SELECT set_config('statement_timeout', $1, false)", [.text("\(milliseconds)ms")])
        }
    }

    /// Opens a connection from a conninfo string or URI (empty: the `PG*` environment).
    public convenience init(conninfo: String) throws {
        try self.init(configuration: Configuration(conninfo: conninfo))
    }

    deinit {
        PQfinish(self.handle)
    }

    /// Whether the connection is open and not inside a transaction block.
    public var isIdle: Bool {
        PQstatus(self.handle) == CONNECTION_OK && PQtransactionStatus(self.handle) == PQTRANS_IDLE
    }

    /// Whether the connection is still usable.
    public var isOpen: Bool { PQstatus(self.handle) == CONNECTION_OK }

    // MARK: - Statements

    /// Runs one statement with parameters and returns its rows (empty for commands).
    ///
    /// Parameters are sent separately from the SQL: `.text` values in text format with their
    /// type inferred by the server from the statement, `.bytes` values in binary format as
    /// `bytea`, `.null` as SQL `NULL`.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [PostgresValue] = []) throws -> PostgresRows {
        let result = self.executeParams(sql, parameters)
        defer { PQclear(result) }
        return try self.rows(from: result, statement: sql)
    }

    /// Runs fixed SQL that may hold several statements (the schema), without parameters.
    ///
    /// Use only for SQL text that is part of the program, never for text built from input.
    public func executeScript(_ sql: String) throws {
        let result = PQexec(self.handle, sql)
        defer { PQclear(result) }
        _ = try self.rows(from: result, statement: nil)
    }

    /// Runs `body` in a transaction: `COMMIT` if it returns, `ROLLBACK` if it throws.
    ///
    /// Nested calls use a savepoint, so an inner failure rolls back only the inner work.
    public func withTransaction<T>(_ body: () throws -> T) throws -> T {
        let depth = self.transactionDepth
        let savepoint = "smdr_savepoint_\(depth)"
        try self.executeScript(depth == 0 ? "BEGIN" : "SAVEPOINT \(savepoint)")
        self.transactionDepth += 1
        defer { self.transactionDepth = depth }
        let value: T
        do {
            value = try body()
        } catch {
            if depth == 0 {
                try? self.executeScript("ROLLBACK")
            } else {
                try? self.executeScript("ROLLBACK TO SAVEPOINT \(savepoint); RELEASE SAVEPOINT \(savepoint)")
            }
            throw error
        }
        try self.executeScript(depth == 0 ? "COMMIT" : "RELEASE SAVEPOINT \(savepoint)")
        return value
    }

    // MARK: - libpq plumbing

    private func executeParams(_ sql: String, _ parameters: [PostgresValue]) -> OpaquePointer? {
        guard !parameters.isEmpty else {
            return PQexecParams(self.handle, sql, 0, nil, nil, nil, nil, 0)
        }
        var storage: [UInt8] = []
        var offsets: [Int?] = []
        var lengths: [Int32] = []
        var formats: [Int32] = []
        var types: [Oid] = []
        for parameter in parameters {
            switch parameter {
            case .null:
                offsets.append(nil)
                lengths.append(0)
                formats.append(0)
                types.append(0)
            case .text(let text):
                offsets.append(storage.count)
                storage.append(contentsOf: text.utf8)
                storage.append(0)
                lengths.append(0)
                formats.append(0)
                types.append(0)
            case .bytes(let bytes):
                offsets.append(storage.count)
                storage.append(contentsOf: bytes)
                storage.append(0)
                lengths.append(Int32(bytes.count))
                formats.append(1)
                types.append(17)  // bytea
            }
        }
        return storage.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            let pointers: [UnsafePointer<CChar>?] = offsets.map { offset in offset.map { base + $0 } }
            return PQexecParams(
                self.handle, sql, Int32(parameters.count), types, pointers, lengths, formats, 0
            )
        }
    }

    func rows(from result: OpaquePointer?, statement: String?) throws -> PostgresRows {
        guard let result else {
            throw self.connectionError(statement: statement)
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return PostgresRows(
                columnNames: [],
                commandTag: String(cString: PQcmdStatus(result)),
                affectedRowCount: Int(String(cString: PQcmdTuples(result))),
                rows: []
            )
        case PGRES_TUPLES_OK:
            return Self.copyRows(result)
        case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR, PGRES_BAD_RESPONSE:
            throw self.serverError(result, statement: statement)
        default:
            throw PostgresError(
                code: .unexpectedResult,
                message: "unexpected result status \(String(cString: PQresStatus(PQresultStatus(result))))",
                statement: statement
            )
        }
    }

    private static func copyRows(_ result: OpaquePointer) -> PostgresRows {
        let columnCount = PQnfields(result)
        let rowCount = PQntuples(result)
        let names = (0..<columnCount).map { String(cString: PQfname(result, $0)) }
        var rows: [PostgresRow] = []
        rows.reserveCapacity(Int(rowCount))
        for row in 0..<rowCount {
            var cells: [PostgresCell] = []
            cells.reserveCapacity(Int(columnCount))
            for column in 0..<columnCount {
                if PQgetisnull(result, row, column) == 1 {
                    cells.append(PostgresCell(bytes: nil))
                } else {
                    let length = Int(PQgetlength(result, row, column))
                    let value = UnsafeRawPointer(PQgetvalue(result, row, column)!)
                    cells.append(PostgresCell(bytes: Array(UnsafeRawBufferPointer(start: value, count: length))))
                }
            }
            rows.append(PostgresRow(columnNames: names, cells: cells))
        }
        return PostgresRows(
            columnNames: names,
            commandTag: String(cString: PQcmdStatus(result)),
            affectedRowCount: Int(rowCount),
            rows: rows
        )
    }

    func serverError(_ result: OpaquePointer, statement: String?) -> PostgresError {
        func field(_ code: UInt8) -> String? {
            guard let value = PQresultErrorField(result, Int32(code)) else { return nil }
            return String(cString: value)
        }
        let sqlState = field(UInt8(ascii: "C")).map(SQLState.init(rawValue:))
        let message = field(UInt8(ascii: "M")) ?? Self.errorMessage(self.handle)
        if sqlState == nil, PQstatus(self.handle) != CONNECTION_OK {
            return PostgresError(code: .connectionLost, message: message, statement: statement)
        }
        return PostgresError(
            code: .server,
            sqlState: sqlState,
            message: message,
            detail: field(UInt8(ascii: "D")),
            hint: field(UInt8(ascii: "H")),
            statement: statement
        )
    }

    func connectionError(statement: String?) -> PostgresError {
        PostgresError(
            code: PQstatus(self.handle) == CONNECTION_OK ? .unexpectedResult : .connectionLost,
            message: Self.errorMessage(self.handle),
            statement: statement
        )
    }

    static func errorMessage(_ connection: OpaquePointer) -> String {
        guard let message = PQerrorMessage(connection) else { return "unknown error" }
        var text = String(cString: message)
        while text.last == "\n" { text.removeLast() }
        return text.isEmpty ? "unknown error" : text
    }

    /// Checks the conninfo with libpq's own parser, without ever echoing it.
    private static func validate(conninfo: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let options = PQconninfoParse(conninfo, &error)
        defer {
            if let options { PQconninfoFree(options) }
            if let error { PQfreemem(error) }
        }
        if options == nil {
            let message = error.map { Self.redactingQuotedText(String(cString: $0)) } ?? "out of memory"
            throw PostgresError(
                code: .invalidConnectionString,
                message: "invalid connection string \(ConnectionString.redacted(conninfo)): \(message)"
            )
        }
    }

    /// libpq quotes fragments of a malformed connection string in its parse errors; a fragment
    /// could be a password, so quoted text is replaced by `…`.
    static func redactingQuotedText(_ message: String) -> String {
        var text = ""
        var inQuote = false
        for character in message {
            if character == "\"" {
                if !inQuote { text += "\"…\"" }
                inQuote.toggle()
            } else if !inQuote {
                text.append(character)
            }
        }
        return text
    }
}

@available(*, unavailable)
extension PostgresConnection: Sendable {}

/// Calls `body` with a NULL-terminated array of C strings that live for the call.
private func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    var storage: [UInt8] = []
    var offsets: [Int] = []
    for string in strings {
        offsets.append(storage.count)
        storage.append(contentsOf: string.utf8)
        storage.append(0)
    }
    return storage.withUnsafeBufferPointer { buffer in
        let base = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
        var pointers: [UnsafePointer<CChar>?] = offsets.map { base + $0 }
        pointers.append(nil)
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
