import SMDRCore
import SMDRSimulation

/// A seeded generator (SplitMix64) so property tests are reproducible from their seed.
struct TestRandom: RandomNumberGenerator {
    private var splitMix: SplitMix64

    init(seed: UInt64) { self.splitMix = SplitMix64(seed: seed) }

    mutating func next() -> UInt64 { self.splitMix.next() }

    mutating func below(_ bound: Int) -> Int { Int.random(in: 0..<bound, using: &self) }
}

/// Ways to damage a valid line, for property tests.
enum LineMutator {
    /// Bytes that matter to the parser or the framer.
    static let interestingBytes: [UInt8] = [
        0x00, 0x0D, 0x0A, 0x22, 0xFF, 0x2C, 0x20, 0x3A, 0x2F, 0x2E, 0x2D, 0x2B, 0x40, 0x30, 0x31, 0x39, 0x49, 0x4F,
        0x45, 0x54, 0x56, 0xC3, 0xE2, 0x80, 0xA6, 0xD0, 0xED,
    ]

    /// Applies one to three random mutations (or none, one time in ten).
    static func mutate(_ line: inout [UInt8], _ random: inout TestRandom) {
        if random.below(10) == 0 { return }
        for _ in 0...random.below(3) {
            Self.mutateOnce(&line, &random)
        }
    }

    private static func mutateOnce(_ line: inout [UInt8], _ random: inout TestRandom) {
        let commas = line.indices.filter { line[$0] == 0x2C }
        switch random.below(11) {
        case 0 where !line.isEmpty:  // flip a byte to any value
            line[random.below(line.count)] = UInt8.random(in: 0...255, using: &random)
        case 1 where !line.isEmpty:  // overwrite a byte with an interesting one
            line[random.below(line.count)] = Self.interestingBytes[random.below(Self.interestingBytes.count)]
        case 2 where !commas.isEmpty:  // drop a comma
            line.remove(at: commas[random.below(commas.count)])
        case 3 where !commas.isEmpty:  // duplicate a comma
            line.insert(0x2C, at: commas[random.below(commas.count)])
        case 4:  // truncate
            line.removeLast(random.below(line.count + 1))
        case 5:  // insert an interesting byte
            line.insert(Self.interestingBytes[random.below(Self.interestingBytes.count)], at: random.below(line.count + 1))
        case 6 where commas.count > 2:  // replace a field with junk
            let which = random.below(commas.count - 1)
            let junk: [[UInt8]] = [
                Array(String(repeating: "9", count: 25).utf8), Array("-1".utf8), Array("1.2.3".utf8), Array(" ".utf8),
                Array("\"x\"".utf8), Array("99:99:99".utf8), Array("2024/02/30 10:00:00".utf8), [0xFF, 0xFE],
                Array("…".utf8), Array("anonymous@anonymous.invalid".utf8), [],
            ]
            line.replaceSubrange((commas[which] + 1)..<commas[which + 1], with: junk[random.below(junk.count)])
        case 7 where !line.isEmpty:  // duplicate a segment
            let start = random.below(line.count)
            let end = min(line.count, start + random.below(40))
            line.insert(contentsOf: line[start..<end], at: random.below(line.count + 1))
        case 8 where !line.isEmpty:  // delete a range
            let start = random.below(line.count)
            line.removeSubrange(start..<min(line.count, start + random.below(30)))
        case 9 where random.below(4) == 0:  // prepend a byte-order mark
            line.insert(contentsOf: [0xEF, 0xBB, 0xBF], at: 0)
        case 9:  // append CR/LF/NUL trailers
            line.append(contentsOf: [[0x0D, 0x0A], [0x0A], [0x00, 0x00], [0x0D]][random.below(4)])
        default:  // prepend NULs
            line.insert(contentsOf: [UInt8](repeating: 0, count: 1 + random.below(3)), at: 0)
        }
    }

    /// A line of random bytes, biased towards digits, commas and separators.
    static func randomLine(_ random: inout TestRandom) -> [UInt8] {
        let alphabet: [UInt8] = Array("0123456789,,,,,,::// .IOET@".utf8) + Self.interestingBytes
        return (0..<random.below(200)).map { _ in
            random.below(8) == 0 ? UInt8.random(in: 0...255, using: &random) : alphabet[random.below(alphabet.count)]
        }
    }
}
