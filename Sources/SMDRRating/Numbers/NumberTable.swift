/// Registered client numbers, looked up by E.164: an exact entry first, then the longest
/// registered prefix.
///
/// SKELETON: replaced by the real table (Numbers helper); the API stays.
public struct NumberTable<Value: Sendable>: Sendable {
    /// How a lookup matched.
    public enum Match: Sendable, Hashable {
        case exact
        /// The registered prefix that matched (`+4416329602`).
        case prefix(String)
    }

    private var exact: [String: Value]
    private var prefixes: [(String, Value)]

    /// - Parameters:
    ///   - exact: E.164 numbers (`+441632960100`) and their values; unique.
    ///   - prefixes: E.164 prefixes (`+4416329602`) and their values; unique.
    public init(exact: [(number: String, value: Value)], prefixes: [(prefix: String, value: Value)]) {
        self.exact = Dictionary(exact.map { ($0.number, $0.value) }, uniquingKeysWith: { first, _ in first })
        self.prefixes = prefixes.map { ($0.prefix, $0.value) }.sorted { $0.0.count > $1.0.count }
    }

    /// The value for `e164` (`+441632960233`): the exact entry, else the longest registered
    /// prefix of it, else `nil`.
    public func lookup(_ e164: String) -> (value: Value, match: Match)? {
        if let value = self.exact[e164] { return (value, .exact) }
        for (prefix, value) in self.prefixes where e164.hasPrefix(prefix) { return (value, .prefix(prefix)) }
        return nil
    }

    public var count: Int { self.exact.count + self.prefixes.count }
}
