import SMDRRating
import Testing

@Suite struct NumberTableTests {
    static let nested = NumberTable<String>(
        exact: [("+441632960233", "exact 233")],
        prefixes: [("+44", "UK"), ("+4416", "16"), ("+4416329602", "block 02"), ("+1", "NANP")]
    )

    @Test(arguments: [
        ("+441632960233", "exact 233", NumberTable<String>.Match.exact),
        ("+441632960234", "block 02", .prefix("+4416329602")),
        ("+441632960100", "16", .prefix("+4416")),
        ("+442079460000", "UK", .prefix("+44")),
        ("+12025550123", "NANP", .prefix("+1")),
        ("+4416329602", "block 02", .prefix("+4416329602")),  // a prefix matches itself
    ])
    func exactFirstThenLongestPrefix(number: String, value: String, match: NumberTable<String>.Match) {
        let found = Self.nested.lookup(number)
        #expect(found?.value == value)
        #expect(found?.match == match)
    }

    @Test(arguments: ["+33123456789", "+4", "+", "", "441632960233", "+4x1632960233"])
    func noMatch(number: String) {
        #expect(Self.nested.lookup(number) == nil)
    }

    @Test func firstOfRepeatedEntriesWins() {
        let table = NumberTable<Int>(exact: [("+441632960100", 1), ("+441632960100", 2)], prefixes: [("+44", 3), ("+44", 4)])
        #expect(table.count == 2)
        #expect(table.lookup("+441632960100")?.value == 1)
        #expect(table.lookup("+441632960101")?.value == 3)
    }

    /// Entries that are not `+` and digits still work, compared as text, and the longest prefix
    /// still wins across both kinds.
    @Test func irregularEntriesAreComparedAsText() {
        let table = NumberTable<String>(
            exact: [("sip:alice", "alice")],
            prefixes: [("+44", "UK"), ("+441632x", "odd"), ("sip:", "sip"), ("+4416329601", "block")]
        )
        #expect(table.lookup("sip:alice")?.value == "alice")
        #expect(table.lookup("sip:bob")?.match == .prefix("sip:"))
        #expect(table.lookup("+441632x9")?.value == "odd")
        #expect(table.lookup("+4416x")?.match == .prefix("+44"))  // text prefixes, whatever follows
        #expect(table.lookup("+441632960100")?.value == "block")
        #expect(table.lookup("+442079460000")?.value == "UK")
        #expect(table.count == 5)
    }

    /// Numbers up to the packing limit and beyond it.
    @Test func longNumbers() {
        let long = "+" + String(repeating: "7", count: 32)
        let longer = long + "7"
        let table = NumberTable<Int>(exact: [(long, 1), (longer, 2)], prefixes: [("+777", 3)])
        #expect(table.lookup(long)?.match == .exact)
        #expect(table.lookup(longer)?.value == 2)
        #expect(table.lookup(long + "1")?.match == .prefix("+777"))  // too long to pack, still a prefix
        #expect(table.lookup(longer + "7")?.value == 3)
    }

    /// 100k random prefixes and numbers against a naive scan, with a fixed seed.
    @Test func agreesWithANaiveScan() {
        var random = SplitMix64(seed: 0x5EED_1010)
        func number(digits: Int, first: String = "+4") -> String {
            var text = first  // a shared first digit makes nesting likely
            for _ in 1..<digits { text.unicodeScalars.append(Unicode.Scalar(UInt8(ascii: "0") + UInt8(random.next() % 4))) }
            return text
        }
        var exact: [(number: String, value: Int)] = []
        var prefixes: [(prefix: String, value: Int)] = []
        var seenExact = Set<String>()
        var seenPrefixes = Set<String>()
        for value in 0..<100_000 {
            if random.next() % 2 == 0 {
                let text = number(digits: 8 + Int(random.next() % 5))
                if seenExact.insert(text).inserted { exact.append((text, value)) }
            } else {
                let text = number(digits: 1 + Int(random.next() % 10))
                if seenPrefixes.insert(text).inserted { prefixes.append((text, value)) }
            }
        }
        let table = NumberTable(exact: exact, prefixes: prefixes)
        #expect(table.count == exact.count + prefixes.count)
        let exactByNumber = Dictionary(uniqueKeysWithValues: exact.map { ($0.number, $0.value) })
        let byLength = prefixes.sorted { $0.prefix.count > $1.prefix.count }
        func naive(_ text: String) -> (Int, NumberTable<Int>.Match)? {
            if let value = exactByNumber[text] { return (value, .exact) }
            for (prefix, value) in byLength where text.hasPrefix(prefix) { return (value, .prefix(prefix)) }
            return nil
        }
        var queries = exact.prefix(2_000).map(\.number)
        for _ in 0..<3_000 { queries.append(number(digits: 6 + Int(random.next() % 8))) }
        for _ in 0..<200 { queries.append(number(digits: 10, first: "+5")) }  // nothing registered
        var mismatches: [String] = []
        var matched = (exact: 0, prefix: 0, none: 0)
        for query in queries {
            let expected = naive(query)
            let actual = table.lookup(query)
            if expected?.0 != actual?.value || expected?.1 != actual?.match { mismatches.append(query) }
            switch expected?.1 {
            case .exact: matched.exact += 1
            case .prefix: matched.prefix += 1
            case nil: matched.none += 1
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) lookups differ, first: \(mismatches.prefix(5))")
        // The queries exercise all three outcomes.
        #expect(matched.exact > 0 && matched.prefix > 0 && matched.none > 0, "\(matched)")
    }
}

/// A small seeded generator (SplitMix64), so the property test sees the same table every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { self.state = seed }
    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
