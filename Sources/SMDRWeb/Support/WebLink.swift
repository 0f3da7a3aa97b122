/// Builds the app's own links from values: each path segment and query value is
/// percent-encoded, so a value (a client ID, a code) can never end the path, start a new
/// parameter, or make a `javascript:` link. Every href the pages build from data goes through
/// here, and always starts with `/`.
package enum WebLink {
    /// `/` + the segments, each percent-encoded, + the query (pairs with an empty value are left out).
    package static func path(_ segments: [String], query: [(String, String)] = []) -> String {
        var text = "/" + segments.map(Self.encoded).joined(separator: "/")
        let pairs = query.filter { !$0.1.isEmpty }
        if !pairs.isEmpty {
            text += "?" + pairs.map { Self.encoded($0.0) + "=" + Self.encoded($0.1) }.joined(separator: "&")
        }
        return text
    }

    /// RFC 3986 unreserved characters as they are; every other byte as `%XX`.
    package static func encoded(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + Hex.encode([byte], uppercase: true)
            }
        }
        return out
    }

    /// A `next=` target after sign-in: only a path of this app, else `/`.
    ///
    /// Accepted: printable ASCII (0x21–0x7E) without `\`, starting with `/` and not `//`.
    /// Anything else could leave the app: browsers strip tabs and line breaks from a URL and
    /// read `\` as `/`, so `/<TAB>/evil.example` or `/\evil.example` would be `//evil.example`,
    /// another host. A real path of the app arrives percent-encoded, so it needs nothing else.
    package static func localTarget(_ text: String?) -> String {
        guard let text, text.hasPrefix("/"), !text.hasPrefix("//"),
            text.utf8.allSatisfy({ (0x21...0x7E).contains($0) && $0 != UInt8(ascii: "\\") })
        else { return "/" }
        return text
    }
}
