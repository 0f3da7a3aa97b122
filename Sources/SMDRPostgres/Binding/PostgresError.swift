/// An error from PostgreSQL or from talking to it.
///
/// ``description`` stays generic (what kind of failure, the SQLSTATE and the server's primary
/// message) so it can be logged; the server's detail, hint and the statement are only in
/// ``debugDescription``, because the detail can quote row values. Neither ever contains a
/// password: connection strings are reported redacted (see ``ConnectionString/redacted(_:)``).
public struct PostgresError: Error, Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What went wrong, broadly.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case connectionFailed
            case invalidConnectionString
            case server
            case connectionLost
            case unexpectedResult
            case copyFailed
        }

        private var base: Base
        private init(_ base: Base) { self.base = base }

        /// The connection could not be established (server down, authentication failed, …).
        public static let connectionFailed = Code(.connectionFailed)
        /// The conninfo string or URI could not be parsed.
        public static let invalidConnectionString = Code(.invalidConnectionString)
        /// The server reported an error; ``PostgresError/sqlState`` says which.
        public static let server = Code(.server)
        /// The connection broke while a command was running.
        public static let connectionLost = Code(.connectionLost)
        /// The server answered with something this client did not expect (rows for a command, …).
        public static let unexpectedResult = Code(.unexpectedResult)
        /// Sending or receiving `COPY` data failed on the client side.
        public static let copyFailed = Code(.copyFailed)

        public var description: String { self.base.rawValue }
    }

    public var code: Code
    /// The SQLSTATE the server reported, when it reported one.
    public var sqlState: SQLState?
    /// The primary, human-readable message (`duplicate key value violates unique constraint "…"`).
    public var message: String
    /// The server's optional detail (it may quote row values).
    public var detail: String?
    /// The server's optional hint.
    public var hint: String?
    /// The statement that failed, when there was one (never its parameter values).
    public var statement: String?

    public init(
        code: Code,
        sqlState: SQLState? = nil,
        message: String,
        detail: String? = nil,
        hint: String? = nil,
        statement: String? = nil
    ) {
        self.code = code
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
        self.statement = statement
    }

    public var description: String {
        if let sqlState = self.sqlState {
            return "PostgreSQL error \(sqlState): \(self.message)"
        }
        return "PostgreSQL \(self.code): \(self.message)"
    }

    public var debugDescription: String {
        var text = self.description
        if let detail = self.detail { text += "\nDETAIL: \(detail)" }
        if let hint = self.hint { text += "\nHINT: \(hint)" }
        if let statement = self.statement { text += "\nSTATEMENT: \(statement)" }
        return text
    }
}
