/// A statement parameter: SQL `NULL`, text (sent in text format, typed by the server from the
/// statement), or raw bytes (sent in binary format as `bytea`, so any byte goes through unchanged).
///
/// Write parameters as literals where you can: `[42, "Joe", nil, .bytes(line)]`.
public enum PostgresValue: Hashable, Sendable {
    case null
    case text(String)
    case bytes([UInt8])

    /// `true`/`false` as PostgreSQL's `t`/`f`.
    public static func bool(_ value: Bool?) -> PostgresValue {
        value.map { .text($0 ? "t" : "f") } ?? .null
    }

    /// A decimal integer.
    public static func int(_ value: (some BinaryInteger)?) -> PostgresValue {
        value.map { .text(String($0)) } ?? .null
    }

    /// Text, or `NULL` when `nil`.
    public static func string(_ value: String?) -> PostgresValue {
        value.map { .text($0) } ?? .null
    }
}

extension PostgresValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral,
    ExpressibleByBooleanLiteral
{
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int) { self = .text(String(value)) }
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .text(value ? "t" : "f") }
}
