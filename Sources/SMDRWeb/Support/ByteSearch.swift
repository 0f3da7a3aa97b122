/// Finds a byte string in a body in time linear in the body (Knuth–Morris–Pratt): a naive
/// search restarts after each partial match, so a sender who picks the needle (a multipart
/// boundary) and a body of near-matches could make it quadratic.
struct ByteSearch: Sendable {
    let needle: [UInt8]
    /// For each prefix of the needle, the length of its longest proper prefix that is also its
    /// suffix: where to resume after a mismatch without reading a byte twice.
    private let fallback: [Int]

    init(_ needle: [UInt8]) {
        precondition(!needle.isEmpty, "an empty needle matches everywhere")
        self.needle = needle
        var fallback = [Int](repeating: 0, count: needle.count)
        var length = 0
        for index in 1..<max(1, needle.count) {
            while length > 0, needle[index] != needle[length] { length = fallback[length - 1] }
            if needle[index] == needle[length] { length += 1 }
            fallback[index] = length
        }
        self.fallback = fallback
    }

    /// The index of the first occurrence of the needle in `haystack` at or after `start`.
    func first(in haystack: [UInt8], from start: Int) -> Int? {
        var matched = 0
        var index = max(0, start)
        while index < haystack.count {
            let byte = haystack[index]
            while matched > 0, byte != self.needle[matched] { matched = self.fallback[matched - 1] }
            if byte == self.needle[matched] { matched += 1 }
            if matched == self.needle.count { return index - matched + 1 }
            index += 1
        }
        return nil
    }
}
