/// A five-character SQLSTATE code reported by the PostgreSQL server (`23505`).
///
/// Codes are open-ended: any code the server sends is representable, and the constants below
/// name the ones this project reacts to. See PostgreSQL's "Appendix A. Error Codes".
public struct SQLState: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public var description: String { self.rawValue }

    /// `23505`: a unique index or constraint would be violated.
    public static let uniqueViolation = SQLState(rawValue: "23505")
    /// `23503`: a foreign key has no referenced row.
    public static let foreignKeyViolation = SQLState(rawValue: "23503")
    /// `23514`: a `CHECK` constraint failed.
    public static let checkViolation = SQLState(rawValue: "23514")
    /// `40P01`: the transaction was chosen as a deadlock victim; retrying it usually succeeds.
    public static let deadlockDetected = SQLState(rawValue: "40P01")
    /// `40001`: a serializable transaction could not be serialized; retry it.
    public static let serializationFailure = SQLState(rawValue: "40001")
    /// `42601`: the statement has a syntax error.
    public static let syntaxError = SQLState(rawValue: "42601")
    /// `42P04`: the database already exists.
    public static let duplicateDatabase = SQLState(rawValue: "42P04")
    /// `57014`: the statement was cancelled (for example by `statement_timeout`).
    public static let queryCanceled = SQLState(rawValue: "57014")

    /// Whether re-running the whole transaction is the documented remedy (deadlock, serialization failure).
    public var isTransient: Bool {
        self == .deadlockDetected || self == .serializationFailure
    }
}
