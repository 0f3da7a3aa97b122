import SMDRCore

/// The register's account codes, indexed once for matching: exact codes by text, patterns
/// pre-sorted most specific first (``CodePattern``) and bucketed by their first literal byte.
struct CodeBook: Sendable {
    /// Every registered code (exact or pattern) by its text, whatever its validity: a manual
    /// assignment's code is taken from here.
    private let byText: [String: AccountCode]
    /// Codes without wildcards.
    private let exact: [String: AccountCode]
    /// Patterns, most specific first.
    private let patterns: [(pattern: CodePattern, code: AccountCode)]
    /// Ranks (indices into ``patterns``) of the patterns starting with each literal byte, ascending.
    private let buckets: [[Int]]
    /// Ranks of the patterns starting with `?` or `*`, ascending.
    private let wildStart: [Int]

    /// How a code matched.
    enum Match {
        case exact(AccountCode)
        case pattern(AccountCode)
    }

    init(_ codes: [AccountCode]) {
        var byText: [String: AccountCode] = [:]
        for code in codes where byText[code.code] == nil { byText[code.code] = code }
        self.byText = byText
        self.exact = byText.filter { !$0.value.isPattern }
        let patterns = byText.values.filter(\.isPattern).map { (pattern: CodePattern($0.code), code: $0) }
            .sorted { $0.pattern.precedes($1.pattern) }
        self.patterns = patterns
        var buckets = [[Int]](repeating: [], count: 256)
        var wildStart: [Int] = []
        for (rank, entry) in patterns.enumerated() {
            if let first = entry.pattern.literalFirstByte { buckets[Int(first)].append(rank) } else { wildStart.append(rank) }
        }
        self.buckets = buckets
        self.wildStart = wildStart
    }

    /// The registered code with exactly this text, valid or not.
    func registered(_ text: String) -> AccountCode? { self.byText[text] }

    /// The code an entered account code bills on `date`: the exact registered code when valid,
    /// else the most specific valid pattern that matches it; `nil` when nothing valid matches.
    func match(_ entered: String, on date: LocalDate) -> Match? {
        if let code = self.exact[entered], code.isValid(on: date) { return .exact(code) }
        guard !self.patterns.isEmpty else { return nil }
        var text = entered
        return text.withUTF8 { bytes -> Match? in
            guard let first = bytes.first else { return nil }
            let bucket = self.buckets[Int(first)]
            var i = 0
            var w = 0
            // Merge the two ascending rank lists: the first valid match in rank order wins.
            while i < bucket.count || w < self.wildStart.count {
                let rank: Int
                if w >= self.wildStart.count || (i < bucket.count && bucket[i] < self.wildStart[w]) {
                    rank = bucket[i]
                    i += 1
                } else {
                    rank = self.wildStart[w]
                    w += 1
                }
                let entry = self.patterns[rank]
                if entry.pattern.matches(bytes), entry.code.isValid(on: date) { return .pattern(entry.code) }
            }
            return nil
        }
    }
}
