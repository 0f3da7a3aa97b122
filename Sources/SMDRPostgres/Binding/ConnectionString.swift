/// Helpers for libpq connection strings (`host=db user=smdr`) and URIs
/// (`postgresql://smdr@db/smdr`) that never reveal a password.
///
/// libpq itself does the real parsing when connecting; these helpers only exist so that a
/// connection string can be shown (in errors, logs, `smdr db status`) or checked for a password
/// without the password ever being printed.
public enum ConnectionString {
    /// What replaces a password in ``redacted(_:)``.
    public static let redactionMarker = "***"

    /// The connection string with any password replaced by `***`.
    ///
    /// Handles `password=…` in key/value form (quoted or not), the `user:password@` part of a
    /// URI and a `password=` URI query parameter. A string that cannot be parsed is not shown
    /// at all.
    public static func redacted(_ conninfo: String) -> String {
        if Self.isURI(conninfo) {
            return Self.redactedURI(conninfo)
        }
        guard let pairs = Self.keywordPairs(conninfo) else {
            return "<connection string not shown: it could not be parsed>"
        }
        return pairs.map { pair in
            pair.keyword == "password" ? "password=\(Self.redactionMarker)" : "\(pair.keyword)=\(Self.quoted(pair.value))"
        }.joined(separator: " ")
    }

    /// Whether the string carries a password (which must not be given on a command line).
    ///
    /// A string that cannot be parsed counts as carrying one if it mentions `password` at all.
    public static func containsPassword(_ conninfo: String) -> Bool {
        if Self.isURI(conninfo) {
            return Self.redactedURI(conninfo) != conninfo
        }
        guard let pairs = Self.keywordPairs(conninfo) else { return conninfo.contains("password") }
        return pairs.contains { $0.keyword == "password" }
    }

    /// Whether libpq treats the string as a URI rather than key/value pairs.
    public static func isURI(_ conninfo: String) -> Bool {
        conninfo.hasPrefix("postgresql://") || conninfo.hasPrefix("postgres://")
    }

    // MARK: - Key/value form

    struct Pair: Equatable {
        var keyword: String
        var value: String
    }

    /// Splits `key=value key='quoted \' value'` the way libpq's `conninfo_parse` does; `nil` if malformed.
    static func keywordPairs(_ conninfo: String) -> [Pair]? {
        var pairs: [Pair] = []
        var characters = Array(conninfo.unicodeScalars)[...]
        func skipSpaces() {
            while let first = characters.first, first.properties.isWhitespace { characters.removeFirst() }
        }
        while true {
            skipSpaces()
            guard !characters.isEmpty else { return pairs }
            var keyword = String.UnicodeScalarView()
            while let first = characters.first, first != "=", !first.properties.isWhitespace {
                keyword.append(first)
                characters.removeFirst()
            }
            skipSpaces()
            guard characters.first == "=", !keyword.isEmpty else { return nil }
            characters.removeFirst()
            skipSpaces()
            var value = String.UnicodeScalarView()
            if characters.first == "'" {
                characters.removeFirst()
                var closed = false
                while let first = characters.first {
                    characters.removeFirst()
                    if first == "\\" {
                        guard let escaped = characters.first else { return nil }
                        value.append(escaped)
                        characters.removeFirst()
                    } else if first == "'" {
                        closed = true
                        break
                    } else {
                        value.append(first)
                    }
                }
                guard closed else { return nil }
            } else {
                while let first = characters.first, !first.properties.isWhitespace {
                    characters.removeFirst()
                    if first == "\\" {
                        guard let escaped = characters.first else { return nil }
                        value.append(escaped)
                        characters.removeFirst()
                    } else {
                        value.append(first)
                    }
                }
            }
            pairs.append(Pair(keyword: String(keyword), value: String(value)))
        }
    }

    private static func quoted(_ value: String) -> String {
        if !value.isEmpty, !value.contains(where: { $0 == "'" || $0 == "\\" || $0.isWhitespace }) {
            return value
        }
        var text = "'"
        for character in value {
            if character == "'" || character == "\\" { text.append("\\") }
            text.append(character)
        }
        return text + "'"
    }

    // MARK: - URI form

    private static func redactedURI(_ uri: String) -> String {
        let prefix = uri.hasPrefix("postgresql://") ? "postgresql://" : "postgres://"
        let schemeEnd = uri.index(uri.startIndex, offsetBy: prefix.count)
        var rest = String(uri[schemeEnd...])
        var query = ""
        if let questionMark = rest.firstIndex(of: "?") {
            query = String(rest[questionMark...])
            rest = String(rest[..<questionMark])
        }
        // Userinfo ends at the last '@' before the first '/'.
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = String(rest[..<authorityEnd])
        let path = String(rest[authorityEnd...])
        if let at = authority.lastIndex(of: "@") {
            let userinfo = authority[..<at]
            if let colon = userinfo.firstIndex(of: ":") {
                authority = String(userinfo[..<colon]) + ":" + Self.redactionMarker + String(authority[at...])
            }
        }
        if !query.isEmpty {
            let parameters = query.dropFirst().split(separator: "&", omittingEmptySubsequences: false).map { parameter in
                parameter.hasPrefix("password=") ? "password=\(Self.redactionMarker)" : String(parameter)
            }
            query = "?" + parameters.joined(separator: "&")
        }
        return String(uri[..<schemeEnd]) + authority + path + query
    }
}
