/// The one rule for site names, and the journal directory name derived from a site name.
///
/// `smdr site add`, `smdr ingest`, `smdr serve` and the listener all check names with
/// ``problem(with:)``; the `CHECK` on `smdr.site.name` states the same rule in SQL, so every
/// stored name is one that `smdr serve` accepts.
public enum SiteName {
    /// Most Unicode scalars in a name (PostgreSQL counts characters as code points too).
    public static let maximumLength = 100

    /// What is wrong with `name` as a site name, or `nil` when it is valid: 1 to
    /// ``maximumLength`` characters, no `/`, `\` or control characters, not starting with `.`.
    /// Spaces and letters beyond ASCII (`Main Office`, `Zürich`) are fine.
    public static func problem(with name: String) -> String? {
        let scalars = name.unicodeScalars
        let isValid = (1...Self.maximumLength).contains(scalars.count) && scalars.first != "."
            && !scalars.contains { $0 == "/" || $0 == "\\" || $0.properties.generalCategory == .control }
        guard !isValid else { return nil }
        return "site name '\(Self.printable(name))': expected 1 to \(Self.maximumLength) characters "
            + "without '/', '\\' or control characters, not starting with '.'"
    }

    public static func isValid(_ name: String) -> Bool { Self.problem(with: name) == nil }

    /// The directory under `journal/` that holds the site's journal.
    ///
    /// - A name of only `A–Z a–z 0–9 . _ -` is its own directory (`hq` → `hq`), as before
    ///   names with other characters were allowed, so existing journals stay where they are.
    /// - Any other name is percent-encoded byte by byte over its UTF-8 (`Main Office` →
    ///   `Main%20Office`, `Zürich` → `Z%C3%BCrich`): ASCII only, reversible, and never equal to
    ///   a plain name, which has no `%`.
    /// - An encoding longer than ``maximumDirectoryNameLength`` bytes (file names are limited to
    ///   255) keeps its first bytes and ends in `~` and the SHA-256 of the name in hex; no other
    ///   form contains `~`.
    ///
    /// Names that differ in any byte get different directories (on a case-sensitive file system).
    public static func journalDirectoryName(for name: String) -> String {
        var encoded = ""
        var isPlain = true
        for byte in name.utf8 {
            if Self.isPlain(byte) {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                isPlain = false
                encoded += "%" + Self.hex(byte)
            }
        }
        guard !isPlain, encoded.utf8.count > Self.maximumDirectoryNameLength else { return encoded }
        var prefix = Substring(encoded.prefix(Self.hashedPrefixLength))
        // Never end inside an escape.
        if let percent = prefix.suffix(2).lastIndex(of: "%") { prefix = prefix[..<percent] }
        return String(prefix) + "~" + SHA256.hash(Array(name.utf8)).map(Self.hex).joined()
    }

    /// Longest journal directory name before the hashed form is used.
    public static let maximumDirectoryNameLength = 200
    private static let hashedPrefixLength = 120

    private static func isPlain(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF".unicodeScalars)
        return String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
    }

    /// `name` with control characters shown as `\u{…}`, for error messages.
    private static func printable(_ name: String) -> String {
        name.unicodeScalars.map { $0.properties.generalCategory == .control ? "\\u{\(String($0.value, radix: 16))}" : String($0) }
            .joined()
    }
}
