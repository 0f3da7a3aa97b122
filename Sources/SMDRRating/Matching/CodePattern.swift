/// An IP Office account-code pattern (`41??`, `7*`): `?` is exactly one character, `*` any rest
/// (none included), every other character itself; compared byte for byte (codes are ASCII,
/// case-sensitive as the PBX compares them).
///
/// **Most specific first** (``precedes(_:)``): more literal characters first (`412?` before
/// `41??`), then a pattern without `*` before one with (`41??` before `41*`), then the pattern text
/// in byte order, so the order never depends on the register's order.
struct CodePattern: Sendable {
    let bytes: [UInt8]
    let literalCount: Int
    let hasStar: Bool

    static let one = UInt8(ascii: "?")
    static let rest = UInt8(ascii: "*")

    init(_ text: String) {
        self.bytes = Array(text.utf8)
        self.literalCount = self.bytes.count(where: { $0 != Self.one && $0 != Self.rest })
        self.hasStar = self.bytes.contains(Self.rest)
    }

    /// More specific than `other` (sorts first).
    func precedes(_ other: CodePattern) -> Bool {
        if self.literalCount != other.literalCount { return self.literalCount > other.literalCount }
        if self.hasStar != other.hasStar { return !self.hasStar }
        return self.bytes.lexicographicallyPrecedes(other.bytes)
    }

    /// Whether `code` matches the whole pattern.
    func matches(_ code: UnsafeBufferPointer<UInt8>) -> Bool {
        self.bytes.withUnsafeBufferPointer { pattern in
            var p = 0
            var c = 0
            var starAt = -1
            var starCode = 0
            while c < code.count {
                if p < pattern.count, pattern[p] == Self.rest {
                    starAt = p
                    starCode = c
                    p += 1
                } else if p < pattern.count, pattern[p] == Self.one || pattern[p] == code[c] {
                    p += 1
                    c += 1
                } else if starAt >= 0 {
                    p = starAt + 1
                    starCode += 1
                    c = starCode
                } else {
                    return false
                }
            }
            while p < pattern.count, pattern[p] == Self.rest { p += 1 }
            return p == pattern.count
        }
    }

    /// The first byte when it is a literal (patterns are bucketed by it), else `nil`.
    var literalFirstByte: UInt8? {
        guard let first = self.bytes.first, first != Self.one, first != Self.rest else { return nil }
        return first
    }
}
