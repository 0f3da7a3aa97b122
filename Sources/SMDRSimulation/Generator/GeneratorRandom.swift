/// The generator's pseudo-random numbers: xoshiro256** seeded through SplitMix64.
///
/// Only integer operations, so the same seed gives the same sequence on every platform and with
/// every compiler (no floating point, no `SystemRandomNumberGenerator`).
struct GeneratorRandom: Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    init(seed: UInt64) {
        var splitMix = SplitMix64(seed: seed)
        self.state = (splitMix.next(), splitMix.next(), splitMix.next(), splitMix.next())
    }

    /// The next 64 random bits (xoshiro256**).
    @inline(__always)
    mutating func next() -> UInt64 {
        let result = Self.rotateLeft(self.state.1 &* 5, 7) &* 9
        let t = self.state.1 << 17
        self.state.2 ^= self.state.0
        self.state.3 ^= self.state.1
        self.state.1 ^= self.state.2
        self.state.0 ^= self.state.3
        self.state.2 ^= t
        self.state.3 = Self.rotateLeft(self.state.3, 45)
        return result
    }

    /// A uniform value in `0..<bound` (Lemire's multiply-and-reject, no modulo bias).
    @inline(__always)
    mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let bound = UInt64(bound)
        var product = self.next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold {
                product = self.next().multipliedFullWidth(by: bound)
            }
        }
        return Int(product.high)
    }

    /// A uniform value in `range`.
    @inline(__always)
    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + self.below(range.count)
    }

    /// `true` with probability `percent`/100.
    @inline(__always)
    mutating func chance(_ percent: Int) -> Bool {
        self.below(100) < percent
    }

    /// One element of a non-empty array.
    @inline(__always)
    mutating func element<T>(of array: [T]) -> T {
        array[self.below(array.count)]
    }

    /// An index into `weights`, chosen with probability proportional to its weight.
    mutating func weightedIndex(_ weights: [Int]) -> Int {
        var roll = self.below(weights.reduce(0, +))
        for (index, weight) in weights.enumerated() {
            if roll < weight { return index }
            roll -= weight
        }
        return weights.count - 1
    }

    private static func rotateLeft(_ value: UInt64, _ count: UInt64) -> UInt64 {
        (value << count) | (value >> (64 - count))
    }
}
