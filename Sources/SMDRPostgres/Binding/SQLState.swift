/// A five-character SQLSTATE code reported by the PostgreSQL server (`23505`).
///
/// Codes are open-ended: any code the server sends is representable, and the constants below
/// name the ones this project reacts to. See PostgreSQL's "Appendix A. Error Codes".
public struct SQLState: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// The two-character class (`23` for integrity constraint violations).
    public var errorClass: String { String(self.rawValue.prefix(2)) }

    public var description: String { self.rawValue }

    /// `23505`: a unique index or constraint would be violated.
    public static let uniqueViolation = SQLState(rawValue: "23505")
    /// `23503`: a foreign key has no referenced row.
    public static let foreignKeyViolation = SQLState(rawValue: "23503")
    /// `23502`: a `NOT NULL` column got a null.
    public static let notNullViolation = SQLState(rawValue: "23502")
    /// `23514`: a `CHECK` constraint failed.
    public static let checkViolation = SQLState(rawValue: "23514")
    /// `40P01`: the transaction was chosen as a deadlock victim; retrying it usually succeeds.
    public static let deadlockDetected = SQLState(rawValue: "40P01")
    /// `40001`: a serializable transaction could not be serialized; retry it.
    public static let serializationFailure = SQLState(rawValue: "40001")
    /// `42P01`: the table does not exist.
    public static let undefinedTable = SQLState(rawValue: "42P01")
    /// `42601`: the statement has a syntax error.
    public static let syntaxError = SQLState(rawValue: "42601")
    /// `42710`: the object (a role, say) already exists.
    public static let duplicateObject = SQLState(rawValue: "42710")
    /// `42P04`: the database already exists.
    public static let duplicateDatabase = SQLState(rawValue: "42P04")
    /// `3D000`: the database does not exist.
    public static let invalidCatalogName = SQLState(rawValue: "3D000")
    /// `22P02`: text could not be converted to the column's type.
    public static let invalidTextRepresentation = SQLState(rawValue: "22P02")
    /// `22021`: a byte sequence is not valid in the database encoding.
    public static let characterNotInRepertoire = SQLState(rawValue: "22021")
    /// `57014`: the statement was cancelled (for example by `statement_timeout`).
    public static let queryCanceled = SQLState(rawValue: "57014")
    /// `28P01`: password authentication failed.
    public static let invalidPassword = SQLState(rawValue: "28P01")
    /// `55P03`: a lock could not be obtained (`NOWAIT`, `lock_timeout`).
    public static let lockNotAvailable = SQLState(rawValue: "55P03")

    /// Whether re-running the whole transaction is the documented remedy (deadlock, serialization failure).
    public var isTransient: Bool {
        self == .deadlockDetected || self == .serializationFailure
    }
}
