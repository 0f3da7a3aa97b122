/// The smallest line diff of two texts (longest common subsequence), as hunks of lines removed
/// and added: enough to say that two pages differ only where they should.
enum LineDiff {
    struct Hunk: Equatable, CustomStringConvertible {
        var removed: [Substring]
        var added: [Substring]

        var description: String {
            (self.removed.map { "- " + $0 } + self.added.map { "+ " + $0 }).joined(separator: "\n")
        }
    }

    /// The hunks that turn `old` into `new`, in order (quadratic: for pages, not for exports).
    static func hunks(_ old: String, _ new: String) -> [Hunk] {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false)
        // common[i][j]: length of the longest common subsequence of a[i...] and b[j...].
        var common = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                common[i][j] = a[i] == b[j] ? common[i + 1][j + 1] + 1 : max(common[i + 1][j], common[i][j + 1])
            }
        }
        var hunks: [Hunk] = []
        var current = Hunk(removed: [], added: [])
        func close() {
            if !current.removed.isEmpty || !current.added.isEmpty { hunks.append(current) }
            current = Hunk(removed: [], added: [])
        }
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                close()
                i += 1
                j += 1
            } else if j < b.count, i == a.count || common[i][j + 1] >= common[i + 1][j] {
                current.added.append(b[j])
                j += 1
            } else {
                current.removed.append(a[i])
                i += 1
            }
        }
        close()
        return hunks
    }
}
