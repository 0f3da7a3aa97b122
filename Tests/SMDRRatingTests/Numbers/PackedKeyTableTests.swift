@testable import SMDRRating
import Testing

/// The open-addressing table under ``NumberTable``: against a `Dictionary` over the same keys.
@Suite struct PackedKeyTableTests {
    /// A fixed-seed generator (SplitMix64), so a failure reproduces.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            self.state &+= 0x9E37_79B9_7F4A_7C15
            var z = self.state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test(arguments: [0, 1, 7, 1_000, 50_000])
    func agreesWithADictionary(count: Int) {
        var random = Seeded(state: UInt64(count))
        var table = PackedKeyTable<Int>(capacity: count)
        var reference: [UInt128: Int] = [:]
        // Keys as NumberTable packs them (digit + 1 per nibble), some sharing long prefixes, and
        // key 0 (the text `+`) among them.
        for index in 0..<count {
            let key: UInt128 = index == 3 ? 0 : UInt128(random.next() % 1_000_000) << 64 | UInt128(random.next())
            let inserted = table.insertIfAbsent(key, index)
            #expect(inserted == (reference[key] == nil))
            if reference[key] == nil { reference[key] = index }
        }
        #expect(table.count == reference.count)
        for (key, value) in reference { #expect(table[key] == value) }
        var absentChecked = 0
        while absentChecked < 2_000 {
            let key = UInt128(random.next()) << 32 | UInt128(random.next())
            guard reference[key] == nil else { continue }
            #expect(table[key] == nil)
            absentChecked += 1
        }
    }

    @Test func aRepeatedKeyKeepsItsFirstValue() {
        var table = PackedKeyTable<String>(capacity: 2)
        let first = table.insertIfAbsent(42, "first")
        let second = table.insertIfAbsent(42, "second")
        #expect(first)
        #expect(!second)
        #expect(table[42] == "first")
        #expect(table[0] == nil)
        #expect(table.count == 1)
    }
}
